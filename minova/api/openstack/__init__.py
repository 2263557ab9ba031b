"""The v2.1 controllers: one module per Nova API resource."""
