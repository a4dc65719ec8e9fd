"""The 4P × SCEBS formulation: the grid and its entries, added, edited and withdrawn."""
