"""The gateway: every channel (web chat, Telegram, WhatsApp) goes through one router to Rasa."""
