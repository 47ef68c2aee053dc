from gmlp_core.ui.markdown import literal
from gmlp_core.ui.samples import sample_class, sample_label, sample_paths


def test_typed_text_is_shown_literally_in_markdown():
    assert literal("<b>*x*</b> _a_ ọ") == "\\<b\\>\\*x\\*\\</b\\> \\_a\\_ ọ"
    assert literal("[link](http://x)") == "\\[link\\]\\(http\\://x\\)"


def test_samples_name_their_class():
    paths = sample_paths()
    assert len(paths) == 20 and sample_class(paths[0]) == "airplane" and sample_label(paths[0]) == "airplane · 0000"


def test_a_loopback_link_is_handed_out_at_the_lan_address():
    from gmlp_core.ui.share import shareable_url
    assert shareable_url("http://localhost:8501/attention?x=1", "192.168.1.20") == "http://192.168.1.20:8501/attention"
    assert shareable_url("http://127.0.0.1:8501/", "10.0.0.7") == "http://10.0.0.7:8501/"
    assert shareable_url("https://school.example:8443/w", "10.0.0.7") == "https://school.example:8443/w"
    assert shareable_url("http://localhost:8501/", None) == "http://localhost:8501/"


def test_the_qr_code_is_a_large_png_of_the_links_symbol():
    import segno

    from gmlp_core.ui.share import qr_png
    link = "http://192.168.1.20:8501/attention?sentence=abc"
    data = qr_png(link)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (width, height) == segno.make(link, error="m").symbol_size(scale=12, border=3) and width >= 300
