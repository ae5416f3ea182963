"""Overseas-work guidance from sourced facts: channels, requirements, costs, the job card, red flags in offers."""
