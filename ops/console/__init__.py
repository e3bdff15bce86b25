"""The operators' console: stored conversations turn by turn, review marks, labelling into data/nlu/, charts.

`make console` (python -m ops.console) serves it on 127.0.0.1:CONSOLE_PORT behind CONSOLE_TOKEN, on Sanic (server.py
builds and runs the app; web.py, state.py, throttle.py and routes/ hold its HTTP layer; the other modules the logic).
"""
