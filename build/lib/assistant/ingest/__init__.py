"""Loading files into documents and chunks, and keeping the index in step with them."""
