"""The Textual app: screens, widgets and the wiring between them and the store."""
