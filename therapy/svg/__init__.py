"""Server-made SVG: markup written escaped, and the one gate into a page; for services and areas."""
