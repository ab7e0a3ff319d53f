"""What the Gradio app shows: pure render helpers."""
