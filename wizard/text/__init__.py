"""Text for every view: sanitising and the link rule, Chinese scripts, flow text to strings, the Markdown dialect."""
