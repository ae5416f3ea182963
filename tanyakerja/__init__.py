"""TanyaKerja tanyakerja package."""
