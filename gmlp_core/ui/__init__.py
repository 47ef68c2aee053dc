"""The app's presentation: the only package that imports Streamlit (in widgets.py and what builds on it).

    i18n.py     every string a user sees, English and Vietnamese
    plots.py    Plotly figures (no Streamlit: unit-tested on their own)
    tables.py   matrices as tables, CSV and .npy
    widgets.py  what pages share: page setup, the shared sidebar, cached checkpoints, samples, gallery
    samples/    the gallery's CIFAR-10 test images
"""
