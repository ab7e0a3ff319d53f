"""Start the Gradio app: `python app.py` (or `make run`). Everything lives in assistant/ui/."""

from assistant.ui.app import main

if __name__ == "__main__":
    main()
