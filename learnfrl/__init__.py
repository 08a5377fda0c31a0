"""The learnfrl site: settings, URLs and site-level views."""
