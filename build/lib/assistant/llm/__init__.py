"""Chat models, the packaged model file, prompts, and the runtime's self-test and doctor."""
