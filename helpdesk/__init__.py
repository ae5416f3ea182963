"""TanyaKerja helpdesk package."""
