"""Plain-language explainers, the Return to Work Credit checker, services and stories."""
