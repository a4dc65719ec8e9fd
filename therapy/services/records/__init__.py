"""The patient's rights over the record: a copy, destruction on request, the 20-year retention."""
