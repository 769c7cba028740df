"""The app's dialogs and full screens, each with its TCSS beside it."""
