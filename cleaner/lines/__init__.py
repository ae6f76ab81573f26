"""One line of text and what is known about it: normalisation, features, cues, the line classifier.

The bottom of the stack next to ``document``: every other room may import it; it imports only
``document``. ``train.py`` is how ``weights.json`` is made (needs numpy, and scikit-learn for a
tree first stage: the ``train`` extra; not a runtime import)."""
