"""Files in and out, never executing code from them.

    checkpoints.py  save / load any registered arch (safetensors, or torch.save read safely)
    layouts.py      foreign vision layouts, one filter function each (blog, lucidrains, timm)
    images.py       decode / validate / resize / patch a picture
    chars.py        the character vocabulary of the language models
"""
