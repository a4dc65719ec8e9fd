"""The database under the app: engine set-up per backend, and a locked request run again."""
