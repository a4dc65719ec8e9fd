"""PDF printing: WeasyPrint with bundled assets only, failing closed (promise 8); for documents."""
