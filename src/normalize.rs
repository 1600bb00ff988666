//! Normalize: pages of raw text → one clean text with a map back to pages.
