"""Roles and permissions of API keys in the Metadata API, and which permissions a request
carries: `roles` (storage, standard roles), `grants` and `predicates` (Twenty's upserts),
`api` and `sdl` (the `/metadata` fields), `access` (compiled roles per key), `versions`."""
