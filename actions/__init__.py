"""Rasa SDK actions: thin adapters (tracker -> one service call in knowledge/ -> answers and slots).

rasa-sdk warns on every start that its version (3.21) differs from the Rasa server's (3.6); the pair is
deliberate and tested end to end (we only emit events a 3.6 server knows), so the warning is silenced.
"""

import warnings

warnings.filterwarnings("ignore", message="Your versions of rasa and rasa_sdk might not be compatible")
