"""The plain data shapes that cross RPC: states, request specs, selections."""
