"""Patches & predictions (image): picture -> 32x32 -> patch grid -> patch sequence -> top-5."""

import numpy as np
import streamlit as st

import gmlp_core.ui  # noqa: F401  first of ours, whole: concurrent first runs (gmlp_core/__init__.py)

from gmlp_core.formats.images import UPLOAD_TYPES, ImageError, kept_share, preview
from gmlp_core.ui.checkpoints import current_checkpoint, current_file
from gmlp_core.ui.frame import require_frame
from gmlp_core.ui.inputs import camera_photo
from gmlp_core.ui.layout import setup_page
from gmlp_core.ui.locale import cls, explain, pct, tr
from gmlp_core.ui.markdown import literal
from gmlp_core.ui.plots import image_figure, patch_grid_figure, patch_sequence_figure, topk_figure
from gmlp_core.ui.samples import (PICTURE_SOURCES, decoded, picture_source, sample_gallery, sample_label,
                                  sample_picker)
from gmlp_core.ui.sections import show
from gmlp_core.ui.state import kept
from gmlp_core.ui.vision_cache import prediction as cached_prediction

require_frame()  # a fresh server can run this file without app.py: run the app instead

setup_page("patches_title")
st.caption(tr("patches_intro"))
model, info = current_checkpoint()
config = info.config

# the picture's choice beside what the model makes of it: a pick changes the first screen
choose, result = st.columns([1.2, 1], gap="medium")
with choose:
    source = kept(st.radio, tr("image_source"), key="image_source", default="sample", options=PICTURE_SOURCES,
                  horizontal=True, format_func=lambda s: tr(f"source_{s}"), url="source", parse=picture_source)
    picture = None  # (key, bytes, name): the key names this file (a sample's path, an upload's id) for the decode cache
    if source == "sample":
        picked = sample_picker("sample", url="sample")
        sample_gallery("sample", picked)
        picture = str(picked), picked.read_bytes(), sample_label(picked)
    elif source == "upload":
        upload = st.file_uploader(tr("upload"), type=list(UPLOAD_TYPES), key="upload")
        if upload is not None:
            picture = f"upload:{upload.file_id}", upload.getvalue(), upload.name
    else:
        shot = camera_photo(tr("camera"), key="camera")
        if shot is not None:
            picture = f"camera:{shot.file_id}", shot.getvalue(), tr("camera_photo")

    if picture is None:
        st.info(tr("waiting_for_image"))
        st.stop()
    try:
        image = decoded(*picture[:2])
    except ImageError as err:
        st.error(tr("image_error", error=explain(err)))
        st.stop()
    # the picture itself under its choice, beside its prediction: on a projector both are on the first screen
    show(image_figure(np.asarray(preview(image)), tr("original", w=image.width, h=image.height)), "original")
st.session_state["picture"] = picture
name = picture[2]

prediction = cached_prediction(model, info, current_file(), picture[0], image)  # once per checkpoint and picture
pixels = np.asarray(prediction.model_input)
best_name, best_p = prediction.top[0]
with result, st.container(key="sticky_prediction"):  # stays on screen while the gallery scrolls
    st.metric(tr("prediction"), cls(best_name), pct(best_p), delta_color="off", delta_arrow="off")
    st.caption(tr("prediction_caption", name=literal(name)))
    show(topk_figure([(cls(n), p) for n, p in prediction.top], tr("top5"), tr("probability"),
                     [pct(p) for _, p in prediction.top]), "top5")

top_mid, top_right = st.columns([1, 1.2])
with top_mid:
    show(image_figure(pixels, tr("model_input", size=config.image_size)), "small")
    st.caption(tr("model_input_explain", size=config.image_size))
    if kept_share(image) < 0.8:  # a tall or wide photo loses its sides: say so
        st.warning(tr("crop_notice", share=pct(kept_share(image), 0)))
with top_right:
    show(patch_grid_figure(pixels, config.patch_size,
                           tr("patch_grid", grid=config.grid_size, n=config.num_patches,
                              p=config.patch_size)), "grid")

show(patch_sequence_figure(pixels, config.patch_size, config.cls_token, tr("patch_sequence"),
                           cls_label="[CLS]"), "sequence")
st.caption(tr("sequence_explain_cls" if config.cls_token else "sequence_explain", n=config.seq_len,
              d=config.d_model))
