"""Message structure schemas and the streaming structural validator."""
