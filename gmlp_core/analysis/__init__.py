"""What the app and the commands compute from a trained model.

    accuracy.py   top-k, per-class accuracy and confusion matrix on an image set
    inference.py  a picture's predictions and per-layer attention of a vision model
    spatial.py    a vision W on its patch grid: offset kernels, locality, shift invariance
    language.py   a text through a character model: surprise, top guesses, generation
"""
