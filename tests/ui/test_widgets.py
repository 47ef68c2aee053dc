from gmlp_core.ui.markdown import literal
from gmlp_core.ui.samples import sample_class, sample_label, sample_paths


def test_typed_text_is_shown_literally_in_markdown():
    assert literal("<b>*x*</b> _a_ ọ") == "\\<b\\>\\*x\\*\\</b\\> \\_a\\_ ọ"
    assert literal("[link](http://x)") == "\\[link\\]\\(http\\://x\\)"


def test_samples_name_their_class():
    paths = sample_paths()
    assert len(paths) == 20 and sample_class(paths[0]) == "airplane" and sample_label(paths[0]) == "airplane · 0000"
