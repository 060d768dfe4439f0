"""The body's published contract data (DECP): reading the files, the SPASER measures computed
from them, and what the lead reads about them."""
