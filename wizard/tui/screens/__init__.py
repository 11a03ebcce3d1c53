"""The app's screens: one step, the review, the checklist, help, and the small dialogs."""
