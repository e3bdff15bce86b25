"""Code that runs inside the Rasa process: input channels, the response generator, payload checks, Rasa CLI fixes."""
