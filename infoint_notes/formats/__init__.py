"""Text and file formats: LinkedIn, vCard, JSON/CSV, iCalendar, graph drawings, and
the text and JSON layout of command output."""
