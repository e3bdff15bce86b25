"""Running the bot: settings, the stack launcher, the web page and operators' tools."""
