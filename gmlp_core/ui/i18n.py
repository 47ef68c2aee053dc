"""Every UI string, in English and Vietnamese, from one catalogue."""

from __future__ import annotations

import re
import string
from datetime import datetime

LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}

CATALOGUE: dict[str, dict[str, str]] = {
    # ---- shared
    "home_title": {"en": "Home", "vi": "Trang chủ"},
    "attention_title": {"en": "Attention (text)", "vi": "Attention (văn bản)"},
    "patches_title": {"en": "Patches & predictions (image)", "vi": "Patch & dự đoán (ảnh)"},
    "w_title": {"en": "Spatial W (gMLP)", "vi": "Ma trận W không gian (gMLP)"},
    "controls": {"en": "Controls", "vi": "Điều khiển"},
    "checkpoint": {"en": "Checkpoint", "vi": "Checkpoint (mô hình đã huấn luyện)"},
    "no_checkpoints": {"en": "No checkpoint found in {folder}. Train one with `python -m gmlp_core.train` "
                             "(see README.md).",
                       "vi": "Không tìm thấy checkpoint nào trong {folder}. Hãy huấn luyện bằng "
                             "`python -m gmlp_core.train` (xem README.md)."},
    "checkpoint_error": {"en": "This checkpoint cannot be loaded: {error}",
                         "vi": "Không nạp được checkpoint này: {error}"},
    "image_error": {"en": "This image cannot be used: {error}", "vi": "Không dùng được ảnh này: {error}"},
    "heads_to_average": {"en": "Heads to average", "vi": "Các head để lấy trung bình"},
    "head_n": {"en": "Head {n}", "vi": "head {n}"},
    "average_of": {"en": "Average of heads {heads}", "vi": "Trung bình các head {heads}"},
    "average_short": {"en": "Average", "vi": "Trung bình"},
    "choose_a_head": {"en": "Choose at least one head to average.",
                      "vi": "Hãy chọn ít nhất một head để lấy trung bình."},
    "shared_scale": {"en": "Shared colour scale", "vi": "Dùng chung thang màu"},
    "chart_zoom_back": {"en": "Double-click to zoom back out", "vi": "Nhấp đúp để thu về như cũ"},
    "chart_fullscreen": {"en": "Full screen", "vi": "Toàn màn hình"},
    "chart_failed": {"en": "This chart could not be drawn: the browser did not load the app's chart code. Reload the "
                           "page.",
                     "vi": "Không vẽ được biểu đồ này: trình duyệt chưa tải được mã vẽ biểu đồ của ứng dụng. Hãy tải "
                           "lại trang."},
    "weight": {"en": "weight", "vi": "trọng số"},
    "query": {"en": "query token", "vi": "token truy vấn (query)"},
    "key": {"en": "key token", "vi": "token khoá (key)"},
    "hidden": {"en": "hidden (future token)", "vi": "bị che (token tương lai)"},
    "numbers": {"en": "The numbers", "vi": "Bảng số"},
    "download_csv": {"en": "Download CSV", "vi": "Tải CSV"},
    "epoch": {"en": "epoch", "vi": "epoch"},
    "accuracy": {"en": "accuracy", "vi": "độ chính xác"},
    "sample": {"en": "Sample image (CIFAR-10 test)", "vi": "Ảnh mẫu (CIFAR-10 test)"},
    "gallery": {"en": "Sample gallery: click or tap a picture to use it",
                "vi": "Thư viện ảnh mẫu: bấm hoặc chạm vào một ảnh để dùng ảnh đó"},
    "gallery_help": {"en": "The framed picture is the one in use. The names are the true classes.",
                     "vi": "Ảnh có khung đỏ là ảnh đang dùng. Tên dưới ảnh là lớp thật của ảnh."},
    "upload_checkpoint": {"en": "Or open your own checkpoint (.safetensors, .pt, .pth; up to {mb} MB)",
                          "vi": "Hoặc mở checkpoint của bạn (.safetensors, .pt, .pth; tối đa {mb} MB)"},
    "upload_checkpoint_help": {"en": "A gMLP trained with this app, the blog's code, lucidrains' g-mlp-pytorch or "
                                     "timm. It is read without running any code from the file and kept for this "
                                     "browser session only. Limit: {mb} MB.",
                               "vi": "Một gMLP huấn luyện bằng ứng dụng này, mã của blog, g-mlp-pytorch của "
                                     "lucidrains hoặc timm. Tệp được đọc mà không chạy bất kỳ mã nào trong đó và "
                                     "chỉ giữ trong phiên trình duyệt này. Giới hạn: {mb} MB."},
    "share_link": {"en": "Link to this view", "vi": "Liên kết tới màn hình này"},
    "share_link_help": {"en": "Send it to the class: it opens this page with the same text, picture, checkpoint "
                              "and settings.",
                        "vi": "Gửi cho cả lớp: liên kết mở đúng trang này với cùng văn bản, ảnh, checkpoint và "
                              "thiết lập."},
    "share_link_local": {"en": "This laptop has no address on a local network, so the link only opens here.",
                         "vi": "Máy này chưa kết nối mạng nội bộ, nên liên kết chỉ mở được trên chính máy này."},
    "share_qr": {"en": "Scan to open this view on a phone (full screen: the button at the picture's corner)",
                 "vi": "Quét để mở màn hình này trên điện thoại (toàn màn hình: nút ở góc ảnh)"},
    "link_picture_stayed": {"en": "an uploaded or camera picture stays on the device it came from and does not "
                                  "travel in a link; here is the link's sample picture",
                            "vi": "ảnh tải lên hoặc ảnh chụp chỉ nằm trên thiết bị đã tạo ra nó, không đi theo liên "
                                  "kết; đây là ảnh mẫu của liên kết"},
    "link_not_one_of": {"en": "{value} is not one of {options}", "vi": "{value} không phải là một trong {options}"},
    "link_not_a_number": {"en": "{value} is not a number", "vi": "{value} không phải là số"},
    "link_outside": {"en": "{value} is outside {low}..{high}", "vi": "{value} nằm ngoài khoảng {low}..{high}"},
    "link_bad_table": {"en": "not a table this app writes (cells joined by _, rows by ~, each row a token and its "
                             "numbers, up to 64 rows)",
                       "vi": "không phải bảng do ứng dụng này ghi (các ô nối bằng _, các hàng nối bằng ~, mỗi hàng "
                             "một token và các số của nó, tối đa 64 hàng)"},
    "url_ignored": {"en": "Some settings in the link were ignored: {details}",
                    "vi": "Một số thiết lập trong liên kết bị bỏ qua: {details}"},
    "upload_class_names": {"en": "Class names for the uploaded model (.txt, one a line, {n} lines)",
                           "vi": "Tên lớp cho mô hình đã tải lên (.txt, mỗi dòng một tên, {n} dòng)"},
    "class_names_error": {"en": "These class names cannot be used: {error}",
                          "vi": "Không dùng được các tên lớp này: {error}"},
    "uploaded_label": {"en": "uploaded: {name}", "vi": "đã tải lên: {name}"},
    "snapshot_init": {"en": "init", "vi": "khởi tạo"},
    "snapshot_epoch": {"en": "epoch {n}", "vi": "epoch {n}"},
    "snapshot_step": {"en": "step {n}", "vi": "bước {n}"},
    "legend_train_top1": {"en": "train top-1", "vi": "top-1 tập huấn luyện"},
    "legend_val_top1": {"en": "validation top-1", "vi": "top-1 tập kiểm định"},
    "legend_val_top5": {"en": "validation top-5", "vi": "top-5 tập kiểm định"},
    "reads_from_patch": {"en": "{query} reads from patch", "vi": "{query} đọc từ patch"},
    "checkpoint_label": {"en": "{name} · {patches} patches · {heads} heads", "vi": "{name} · {patches} patch · {heads} head"},
    "checkpoint_label_top1": {"en": "{name} · {patches} patches · {heads} heads · top-1 {top1}",
                              "vi": "{name} · {patches} patch · {heads} head · top-1 {top1}"},
    # ---- home
    "home_intro": {
        "en": "**gMLP Explorer** shows how tokens get mixed. *Self-attention* computes its mixing weights "
              "from every input; the *Spatial Gating Unit* of a gMLP learns one fixed token-mixing matrix **W** "
              "and uses it for every input. Type a sentence, upload a photo or open a trained checkpoint, and "
              "watch both happen. Everything runs on a CPU laptop.",
        "vi": "**gMLP Explorer** cho thấy các token được trộn với nhau như thế nào. *Self-attention* tính "
              "trọng số trộn từ chính mỗi đầu vào; còn *Spatial Gating Unit* của gMLP học một ma trận trộn "
              "token cố định **W** và dùng nó cho mọi đầu vào. Hãy gõ một câu, tải lên một bức ảnh hoặc mở "
              "một checkpoint đã huấn luyện để xem cả hai. Mọi thứ chạy được trên laptop chỉ có CPU."},
    "attention_blurb": {"en": "Scores, causal mask and weights of self-attention, token by token, per head.",
                        "vi": "Điểm số, mặt nạ nhân quả và trọng số của self-attention, theo từng token, từng head."},
    "patches_blurb": {"en": "A photo becomes 32×32 pixels, then patches, then the gMLP's top-5 guesses.",
                      "vi": "Ảnh được thu nhỏ còn 32×32 điểm ảnh, cắt thành các patch, rồi thành 5 dự đoán hàng đầu của gMLP."},
    "w_blurb": {"en": "The learned W of each layer and head, how it formed during training, and how it "
                      "differs from attention.",
                "vi": "Ma trận W đã học của từng tầng và từng head, W hình thành ra sao khi huấn luyện, và khác "
                      "attention thế nào."},
    "lesson_title": {"en": "Running a lesson with it", "vi": "Gợi ý tiến trình tiết học"},
    "lesson_steps": {
        "en": "1. **Attention** — start with *Your journey starts with one step*. Switch to the hand-typed "
              "3-number embeddings so the class can check one row of scores on paper; then turn on *causal* "
              "and see the future disappear.\n"
              "2. **Patches & predictions** — pick a sample or let a student take a photo; follow it to "
              "32×32, to the patch grid, to the sequence the model reads, to its top-5 answers.\n"
              "3. **Spatial W** — under *On a picture*, open the same picture's patches in W: which patches "
              "does patch 5 read from? Under *During training*, slide through the epochs to watch W form from "
              "almost nothing; under *Beside attention*, compare it with attention on two different images: "
              "attention moves, W stays.\n"
              "4. **Language models** — type a line of Shakespeare into three trained models. Which is least "
              "surprised? Look at the attention model's maps, then the gMLP's W: change the text and see which "
              "one moves. Slide through training to watch W's diagonal band form, then let each model continue "
              "the text.\n"
              "5. **Playground** — press Play on *Reverse* and watch W's anti-diagonal appear; then switch to "
              "*Associative recall*: the gMLP stalls, the aMLP's tiny attention solves it. Ask the class why, then "
              "widen the gMLP and try again.",
        "vi": "1. **Attention** — bắt đầu với câu *Hành trình vạn dặm bắt đầu từ một bước chân*. Chuyển sang embedding "
              "3 chiều gõ tay để cả lớp kiểm tra một hàng điểm số trên giấy; sau đó bật *nhân quả (causal)* "
              "và thấy các token phía sau bị che đi.\n"
              "2. **Patch & dự đoán** — chọn ảnh mẫu hoặc để học sinh chụp một tấm; theo dõi ảnh thành 32×32, "
              "thành lưới patch, thành chuỗi mà mô hình đọc, rồi thành 5 câu trả lời hàng đầu.\n"
              "3. **Ma trận W** — ở mục *Trên ảnh*, xem các patch của chính bức ảnh đó trong W: patch 5 đọc từ "
              "những patch nào? Ở mục *Khi huấn luyện*, kéo qua các epoch để thấy W hình thành từ gần như số 0; "
              "ở mục *Cạnh attention*, so sánh với attention trên hai ảnh khác nhau: attention thay đổi, W thì "
              "không.\n"
              "4. **Mô hình ngôn ngữ** — gõ một câu tiếng Việt vào ba mô hình đã huấn luyện trên văn xuôi tiếng "
              "Việt (hoặc chọn bộ Shakespeare để gõ tiếng Anh). Mô hình nào ít "
              "bất ngờ nhất? Xem bản đồ attention của mô hình attention, rồi ma trận W của gMLP: đổi văn bản và "
              "xem cái nào thay đổi. Kéo qua quá trình huấn luyện để thấy dải chéo của W hình thành, rồi để mỗi "
              "mô hình viết tiếp văn bản.\n"
              "5. **Sân tập** — bấm Chạy với bài *Đảo ngược* và xem đường chéo ngược của W hiện ra; rồi chuyển sang "
              "*Nhớ cặp khoá–giá trị*: gMLP chững lại, còn attention nhỏ của aMLP giải được. Hỏi cả lớp vì sao, rồi "
              "tăng độ rộng của gMLP và thử lại."},
    "card_title": {"en": "The chosen model", "vi": "Mô hình đang chọn"},
    "card_uploaded": {"en": "your checkpoint", "vi": "checkpoint của bạn"},
    "no_default_checkpoint": {"en": "The default checkpoint {path} is missing; train it with "
                                    "`python -m gmlp_core.train --preset s16-wide --out checkpoints/s16.safetensors` "
                                    "(see README.md).",
                              "vi": "Thiếu checkpoint mặc định {path}; hãy huấn luyện bằng "
                                    "`python -m gmlp_core.train --preset s16-wide --out checkpoints/s16.safetensors` "
                                    "(xem README.md)."},
    "card_preset": {"en": "Preset", "vi": "Cấu hình"},
    "card_parameters": {"en": "Parameters", "vi": "Số tham số"},
    "card_patches": {"en": "Patches", "vi": "Số patch"},
    "card_heads": {"en": "Heads", "vi": "Số head"},
    "card_top1": {"en": "Test top-1", "vi": "Top-1 (tập test)"},
    "card_accuracy": {"en": "Measured on {dataset}, {n} test images: {topk}.",
                      "vi": "Đo trên {dataset}, {n} ảnh test: {topk}."},
    "card_trained": {"en": "Trained on {device} in {minutes} min, {epochs} epochs ({when}).",
                     "vi": "Huấn luyện trên {device} trong {minutes} phút, {epochs} epoch ({when})."},
    "date": {"en": "{year}-{month:02d}-{day:02d}", "vi": "{day}/{month}/{year}"},
    "device_threads": {"en": "({n} threads)", "vi": "({n} luồng)"},
    "card_history": {"en": "Accuracy per epoch", "vi": "Độ chính xác theo epoch"},
    # ---- attention page
    "attention_intro": {"en": "Self-attention recomputes its token-mixing weights from every sentence. Each "
                              "heatmap puts query tokens on rows and key tokens on columns; hover or tap a "
                              "cell for its numbers.",
                        "vi": "Self-attention tính lại trọng số trộn token cho mỗi câu. Mỗi bản đồ nhiệt đặt "
                              "token truy vấn trên hàng và token khoá trên cột; rê chuột hoặc chạm vào một ô để xem số."},
    "examples": {"en": "Examples", "vi": "Câu ví dụ"},
    "tokens_line": {"en": "{n} tokens:  {tokens}", "vi": "{n} token:  {tokens}"},
    "embedding_source": {"en": "Embeddings", "vi": "Embedding"},
    "embedding_seed": {"en": "From a seed (any sentence)", "vi": "Sinh từ seed (câu bất kỳ)"},
    "embedding_table": {"en": "Typed by hand (editable table)", "vi": "Tự nhập số (bảng sửa được)"},
    "sentence": {"en": "Sentence", "vi": "Câu"},
    "truncated": {"en": "The sentence has {total} tokens; only the first {limit} are used.",
                  "vi": "Câu có {total} token; chỉ {limit} token đầu được dùng."},
    "embedding_dim": {"en": "Embedding size (d_in)", "vi": "Kích thước embedding (d_in)"},
    "table_help": {"en": "One row per token: its text, then its numbers. Edit any cell, add or delete rows.",
                   "vi": "Mỗi hàng là một token: chữ của nó, rồi các con số. Sửa ô bất kỳ, thêm hoặc xoá hàng."},
    "table_incomplete": {"en": "Row {rows} is not finished (a number is missing) and is left out for now.",
                         "vi": "Hàng {rows} chưa điền xong (thiếu một số) nên tạm thời được bỏ qua."},
    "table_error": {"en": "The table cannot be used: {error}", "vi": "Không dùng được bảng: {error}"},
    "need_tokens": {"en": "Type a sentence (or fill the table) to see attention.",
                    "vi": "Hãy gõ một câu (hoặc điền bảng) để xem attention."},
    "d_out": {"en": "d_out (query/key/value size)", "vi": "d_out (kích thước query/key/value)"},
    "heads": {"en": "Heads", "vi": "Số head"},
    "seed": {"en": "Seed", "vi": "Hạt giống ngẫu nhiên"},
    "scale": {"en": "Divide scores by √d_k", "vi": "Chia điểm số cho √d_k"},
    "causal_toggle": {"en": "Causal (hide future tokens)", "vi": "Nhân quả (che token tương lai)"},
    "dropout": {"en": "Dropout on weights (p)", "vi": "Dropout trên trọng số (p)"},
    "variant": {"en": "Self-attention, step by step", "vi": "Self-attention, từng bước"},
    "tab_simplified": {"en": "1 · Simplified", "vi": "1 · Đơn giản"},
    "tab_trainable": {"en": "2 · Trainable Wq, Wk, Wv", "vi": "2 · Thêm ma trận học được Wq, Wk, Wv"},
    "tab_causal": {"en": "3 · Causal", "vi": "3 · Nhân quả"},
    "tab_multi": {"en": "4 · Multi-head", "vi": "4 · Nhiều head"},
    "tab_position": {"en": "5 · Position", "vi": "5 · Vị trí"},
    "position_explain": {
        "en": "Tokens are a set until position is added. **Shuffle the words**: without position information, "
              "attention gives the same map with its rows and columns shuffled along with the words "
              "(self-attention is *permutation-equivariant*): it cannot tell the order.",
        "vi": "Các token chỉ là một tập hợp cho đến khi thêm vị trí. **Xáo trộn các từ**: khi không có thông tin vị "
              "trí, attention cho ra đúng bản đồ cũ với hàng và cột bị xáo theo các từ (self-attention *hoán vị "
              "đồng biến*): nó không phân biệt được thứ tự."},
    "shuffle_again": {"en": "Shuffle again", "vi": "Xáo lại"},
    "original_order": {"en": "Weights: the sentence in order", "vi": "Trọng số: câu theo thứ tự gốc"},
    "shuffled_order": {"en": "Weights: the words shuffled", "vi": "Trọng số: các từ đã xáo"},
    "permutation": {"en": "The shuffle: new position ← old position", "vi": "Phép xáo: vị trí mới ← vị trí cũ"},
    "new_position": {"en": "new position", "vi": "vị trí mới"},
    "old_position": {"en": "old position", "vi": "vị trí cũ"},
    "shuffle_same": {"en": "Every weight moved with its words: the largest difference from the original map, "
                           "rows and columns shuffled, is {gap}.",
                     "vi": "Mọi trọng số di chuyển theo từ của nó: sai khác lớn nhất so với bản đồ gốc (đã xáo hàng và "
                           "cột) là {gap}."},
    "w_by_position": {
        "en": "A gMLP's W is indexed by **position**, not by word: output position i reads position j with the "
              "same weight W[i, j] whatever word sits there. Below, the Shakespeare gMLP's W (layer 1, averaged over "
              "heads, its first {n} positions) under both orders: the same colours, only the words beside them "
              "changed.",
        "vi": "W của gMLP được đánh chỉ số theo **vị trí**, không theo từ: vị trí ra i đọc vị trí j với cùng trọng số "
              "W[i, j] dù từ nào đứng ở đó. Dưới đây là W của gMLP Shakespeare (tầng 1, trung bình các head, {n} vị "
              "trí đầu) với cả hai thứ tự: màu giữ nguyên, chỉ các từ bên cạnh đổi."},
    "w_original": {"en": "W beside the sentence in order", "vi": "W bên câu theo thứ tự gốc"},
    "w_shuffled": {"en": "W beside the shuffled words", "vi": "W bên các từ đã xáo"},
    "pe_title": {"en": "Sinusoidal positional encoding", "vi": "Mã hoá vị trí hình sin"},
    "pe_explain": {
        "en": "PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)): one row per position, slow "
              "waves in the last dimensions, fast ones in the first. Added to each token's embedding, it stays with "
              "the *place*, not the word.",
        "vi": "PE[p, 2i] = sin(p / 10000^(2i/d)), PE[p, 2i+1] = cos(p / 10000^(2i/d)): mỗi vị trí một hàng, sóng "
              "chậm ở các chiều cuối, sóng nhanh ở các chiều đầu. Cộng vào embedding của mỗi token, nó gắn với *chỗ "
              "đứng*, không gắn với từ."},
    "pe_dimension": {"en": "dimension", "vi": "chiều"},
    "pe_position": {"en": "position", "vi": "vị trí"},
    "with_pe_original": {"en": "With the encoding: in order", "vi": "Có mã hoá vị trí: thứ tự gốc"},
    "with_pe_shuffled": {"en": "With the encoding: shuffled", "vi": "Có mã hoá vị trí: đã xáo"},
    "pe_differs": {"en": "With position added, the shuffled sentence gets another map: the largest difference from "
                         "the original map shuffled is now {gap}. The order matters.",
                   "vi": "Khi đã thêm vị trí, câu bị xáo có một bản đồ khác: sai khác lớn nhất so với bản đồ gốc đã xáo "
                         "giờ là {gap}. Thứ tự đã có ý nghĩa."},
    "simplified_explain": {"en": "No trainable weights: **scores = x·xᵀ**, **weights = softmax of each row**, "
                                 "**context = weights·x**.",
                           "vi": "Không có trọng số huấn luyện: **điểm = x·xᵀ**, **trọng số = softmax từng hàng**, "
                                 "**ngữ cảnh = trọng số·x**."},
    "scores": {"en": "Scores", "vi": "Điểm số (scores)"},
    "score": {"en": "score", "vi": "điểm"},
    "weights": {"en": "Attention weights", "vi": "Trọng số attention"},
    "trainable_explain": {"en": "**q = x·Wq, k = x·Wk, v = x·Wv**; **scores = q·kᵀ / √d_k**; "
                                "weights = softmax(scores); context = weights·v. Wq, Wk, Wv are drawn from the seed.",
                          "vi": "**q = x·Wq, k = x·Wk, v = x·Wv**; **điểm = q·kᵀ / √d_k**; "
                                "trọng số = softmax(điểm); ngữ cảnh = trọng số·v. Wq, Wk, Wv được sinh từ seed."},
    "dropped_weights": {"en": "Weights after dropout (what multiplies v)",
                        "vi": "Trọng số sau dropout (phần được nhân với v)"},
    "causal_explain": {"en": "A token may only read itself and earlier tokens: scores above the diagonal are "
                             "set to −∞ before the softmax, so their weights are exactly 0 (grey cells).",
                       "vi": "Mỗi token chỉ được đọc chính nó và các token trước: điểm phía trên đường chéo được "
                             "đặt bằng −∞ trước softmax, nên trọng số của chúng đúng bằng 0 (ô màu xám)."},
    "mask": {"en": "Mask (1 = hidden)", "vi": "Mặt nạ (1 = bị che)"},
    "mask_value": {"en": "hidden", "vi": "bị che"},
    "masked_scores": {"en": "Masked scores (−∞ above the diagonal)", "vi": "Điểm sau khi che (−∞ phía trên đường chéo)"},
    "weights_method_mask": {"en": "Weights: −∞ then softmax", "vi": "Trọng số: −∞ rồi softmax"},
    "weights_method_renorm": {"en": "Weights: softmax, zero the future, renormalise",
                              "vi": "Trọng số: softmax, xoá tương lai, chuẩn hoá lại"},
    "methods_agree": {"en": "Both masking methods give the same weights (largest difference {diff}).",
                      "vi": "Hai cách che cho cùng trọng số (chênh lệch lớn nhất {diff})."},
    "causal_methods_explain": {"en": "Softmax of the visible scores, divided by their sum, is the same as "
                                     "softmax over all scores with the hidden ones zeroed and each row "
                                     "renormalised: the hidden exponentials cancel out.",
                               "vi": "Softmax trên các điểm nhìn thấy được, chia cho tổng của chúng, bằng với "
                                     "softmax trên mọi điểm rồi xoá phần bị che và chuẩn hoá lại từng hàng: các "
                                     "số hạng eˣ bị che triệt tiêu nhau."},
    "multi_explain": {"en": "d_out is split into **{heads} heads of {size}** numbers; each head has its own "
                            "weights matrix. Their contexts are concatenated and projected.",
                      "vi": "d_out được chia thành **{heads} head, mỗi head {size}** số; mỗi head có ma trận "
                            "trọng số riêng. Ngữ cảnh các head được nối lại rồi chiếu tuyến tính."},
    "multi_explain_one": {"en": "d_out is split into **{heads} heads of {size}** number each; each head has its "
                                "own weights matrix. Their contexts are concatenated and projected.",
                          "vi": "d_out được chia thành **{heads} head, mỗi head {size}** số; mỗi head có ma trận "
                                "trọng số riêng. Ngữ cảnh các head được nối lại rồi chiếu tuyến tính."},
    "context": {"en": "Context (weights · values)", "vi": "Ngữ cảnh (trọng số · giá trị)"},
    "multi_average_explain": {"en": "The average of the chosen heads is one n×n picture of where the layer "
                                    "looks; it hides how differently single heads behave.",
                              "vi": "Trung bình các head đã chọn là một bức tranh n×n về nơi tầng này nhìn vào; "
                                    "nó che đi việc từng head hoạt động khác nhau thế nào."},
    # ---- patches page
    "patches_intro": {"en": "The model never sees your photo: it sees a 32×32 copy, cut into patches that it "
                            "reads as a sequence of tokens.",
                      "vi": "Mô hình không nhìn thấy bức ảnh của bạn: nó nhìn một bản 32×32, được cắt thành "
                            "các patch và đọc như một chuỗi token."},
    "image_source": {"en": "Picture", "vi": "Ảnh"},
    "source_sample": {"en": "Sample", "vi": "Ảnh mẫu"},
    "source_upload": {"en": "Upload", "vi": "Tải lên"},
    "source_camera": {"en": "Camera", "vi": "Máy ảnh"},
    "upload": {"en": "Upload a picture (PNG, JPEG, WebP, BMP, GIF)",
               "vi": "Tải lên một ảnh (PNG, JPEG, WebP, BMP, GIF)"},
    "camera": {"en": "Take a photo", "vi": "Chụp ảnh"},
    "camera_needs_https": {"en": "The camera cannot work here: browsers give it only to pages opened over HTTPS (or "
                                 "on the laptop itself, at localhost), and this page came over plain http:// from "
                                 "{host}. Upload a photo instead, or start the app with HTTPS (README: \"The camera "
                                 "on phones\").",
                           "vi": "Không dùng được máy ảnh ở đây: trình duyệt chỉ cho phép máy ảnh trên trang mở qua "
                                 "HTTPS (hoặc ngay trên máy tính chạy ứng dụng, tại localhost), mà trang này được mở "
                                 "qua http:// thường từ {host}. Hãy tải ảnh lên, hoặc chạy ứng dụng với HTTPS (xem "
                                 "mục về HTTPS và máy ảnh trong README)."},
    "camera_photo": {"en": "camera photo", "vi": "ảnh chụp"},
    "waiting_for_image": {"en": "Choose a picture to begin.", "vi": "Hãy chọn một bức ảnh để bắt đầu."},
    "original": {"en": "Original ({w}×{h})", "vi": "Ảnh gốc ({w}×{h})"},
    "model_input": {"en": "Model input ({size}×{size})", "vi": "Đầu vào mô hình ({size}×{size})"},
    "model_input_explain": {"en": "Centre-cropped to a square, then resized to {size}×{size} with antialiasing.",
                            "vi": "Cắt vuông ở giữa, rồi thu nhỏ về {size}×{size} có khử răng cưa."},
    "crop_notice": {"en": "This picture is far from square: the model sees only its centre square, {share} of it. "
                          "Crop the photo around the subject for a fairer test.",
                    "vi": "Ảnh này không vuông: mô hình chỉ thấy hình vuông ở giữa, {share} bức ảnh. Hãy cắt ảnh "
                          "quanh vật thể để mô hình có cơ hội đoán đúng hơn."},
    "patch_grid": {"en": "{grid}×{grid} grid: {n} patches of {p}×{p}", "vi": "Lưới {grid}×{grid}: {n} patch {p}×{p}"},
    "patch_sequence": {"en": "The sequence the model reads", "vi": "Chuỗi mà mô hình đọc"},
    "sequence_explain_cls": {"en": "A learned [CLS] token comes first, then the patches row by row: {n} tokens, "
                                   "each turned into {d} numbers by the patch embedding.",
                             "vi": "Token [CLS] học được đứng đầu, sau đó là các patch theo từng hàng: {n} token, "
                                   "mỗi token thành {d} số qua lớp nhúng patch."},
    "sequence_explain": {"en": "The patches row by row: {n} tokens, each turned into {d} numbers by the patch "
                               "embedding.",
                         "vi": "Các patch theo từng hàng: {n} token, mỗi token thành {d} số qua lớp nhúng patch."},
    "top5": {"en": "Top-5 predictions", "vi": "5 dự đoán hàng đầu"},
    "probability": {"en": "probability", "vi": "xác suất"},
    "prediction": {"en": "Best guess", "vi": "Dự đoán tốt nhất"},
    "prediction_caption": {"en": "Picture: {name}", "vi": "Ảnh: {name}"},
    # ---- spatial W page
    "w_intro": {"en": "W[m, j] is how much output token m takes from input token j. Unlike attention, W is "
                      "learned once and is the same for every image.",
                "vi": "W[m, j] là lượng mà token đầu ra m lấy từ token đầu vào j. Khác với attention, W được học "
                      "một lần và giống nhau cho mọi bức ảnh."},
    "output_token": {"en": "output token m", "vi": "token đầu ra m"},
    "input_token": {"en": "input token j", "vi": "token đầu vào j"},
    "layer": {"en": "Layer", "vi": "Tầng"},
    "w_per_head": {"en": "W of layer {layer}, per head", "vi": "W của tầng {layer}, theo từng head"},
    "w_view": {"en": "Show", "vi": "Xem"},
    "w_view_heads": {"en": "W per head", "vi": "W theo head"},
    "w_view_kernel": {"en": "As a kernel", "vi": "Dạng nhân tích chập"},
    "w_view_training": {"en": "During training", "vi": "Khi huấn luyện"},
    "w_view_picture": {"en": "On a picture", "vi": "Trên ảnh"},
    "w_view_attention": {"en": "Beside attention", "vi": "Cạnh attention"},
    "w_explain": {"en": "Each head mixes its own group of gate channels with its own {n}×{n} W. Red: the output "
                        "token adds that input token; blue: it subtracts it.",
                  "vi": "Mỗi head trộn nhóm kênh cổng riêng bằng ma trận W {n}×{n} riêng. Đỏ: token đầu ra cộng "
                        "thêm token đầu vào đó; xanh: trừ đi."},
    "download_avg_csv": {"en": "Average W as CSV", "vi": "W trung bình (CSV)"},
    "download_heads_csv": {"en": "W of every head as CSV", "vi": "W của mọi head (CSV)"},
    "download_avg_npy": {"en": "Average W as .npy", "vi": "W trung bình (.npy)"},
    "download_heads_npy": {"en": "W of every head as .npy", "vi": "W của mọi head (.npy)"},
    "w_kernel_title": {"en": "W of layer {layer} as a kernel on the patch grid",
                       "vi": "W của tầng {layer} như một nhân tích chập trên lưới patch"},
    "mean_w": {"en": "mean W", "vi": "W trung bình"},
    "rows_down": {"en": "rows down", "vi": "số hàng xuống"},
    "columns_right": {"en": "columns right", "vi": "số cột sang phải"},
    "w_kernel_explain": {"en": "Each cell averages W over every pair of patches that lie that many rows down and "
                               "columns right of each other; the boxed centre is the patch itself. A bright spot "
                               "next to the centre means the head reads that neighbour wherever the patch is, "
                               "like a convolution. The table: the share of each row's |W| on the 3×3 patches around "
                               "the query patch (beside what flat rows would give), the offset read most, how much "
                               "of W one such kernel reproduces (100 % = exactly a convolution), and how symmetric "
                               "the kernel is (+1 = a symmetric blur, below 0 = it reads one way).",
                         "vi": "Mỗi ô là trung bình của W trên mọi cặp patch cách nhau đúng bấy nhiêu hàng xuống "
                               "và cột sang phải; ô giữa có viền là chính patch đó. Một điểm đậm cạnh ô giữa nghĩa "
                               "là head đọc patch láng giềng đó ở mọi vị trí, giống một phép tích chập. Bảng dưới: "
                               "tỉ lệ |W| của mỗi hàng nằm trên 3×3 patch quanh patch truy vấn (bên cạnh mức nền nếu "
                               "W trải đều), độ lệch được đọc nhiều nhất, phần của W mà một nhân như vậy tái tạo được "
                               "(100 % = đúng là một phép tích chập), và độ đối xứng của nhân (+1 = làm mờ đối xứng, "
                               "dưới 0 = đọc lệch về một phía)."},
    "structure_near": {"en": "weight within one patch (3×3)", "vi": "trọng số trong vùng 3×3"},
    "structure_baseline": {"en": "same, if rows were flat", "vi": "mức nền (nếu W trải đều)"},
    "structure_self_share": {"en": "on the patch itself", "vi": "trên chính patch đó"},
    "structure_peak": {"en": "strongest offset (down, right)", "vi": "độ lệch mạnh nhất (xuống, phải)"},
    "structure_explained": {"en": "explained by one kernel", "vi": "phần một nhân giải thích được"},
    "structure_symmetry": {"en": "kernel symmetry (−1…1)", "vi": "độ đối xứng của nhân (−1…1)"},
    "w_training": {"en": "How W formed during training", "vi": "W hình thành thế nào khi huấn luyện"},
    "no_snapshots": {"en": "This checkpoint carries no W snapshots from its training.",
                     "vi": "Checkpoint này không lưu ảnh chụp W trong quá trình huấn luyện."},
    "snapshot": {"en": "Snapshot", "vi": "Thời điểm"},
    "w_at_init": {"en": "W at initialisation", "vi": "W lúc khởi tạo"},
    "w_at": {"en": "W after {label}", "vi": "W sau {label}"},
    "w_training_explain": {"en": "At initialisation W is almost zero and b = 1, so each token only gates "
                                 "itself; the token-to-token structure is learned.",
                           "vi": "Lúc khởi tạo W gần bằng 0 và b = 1, nên mỗi token chỉ tự mở cổng cho chính nó; "
                                 "cấu trúc giữa các token là do học mà có."},
    "w_on_image": {"en": "Which patches does a patch read from?", "vi": "Một patch đọc từ những patch nào?"},
    "image_for_w": {"en": "Picture", "vi": "Ảnh"},
    "w_image_current": {"en": "Current picture (from Patches & predictions)",
                        "vi": "Ảnh hiện tại (từ trang Patch & dự đoán)"},
    "w_image_sample": {"en": "A sample", "vi": "Một ảnh mẫu"},
    "image_caption": {"en": "Picture: {name}", "vi": "Ảnh: {name}"},
    "query_patch": {"en": "Output token m", "vi": "Token đầu ra m"},
    "pick_patch_help": {"en": "Click or tap a patch of the picture to choose it.",
                        "vi": "Bấm hoặc chạm vào một patch trên ảnh để chọn nó."},
    "patch_hover": {"en": "patch", "vi": "patch"},
    "token_n": {"en": "token {name}", "vi": "token {name}"},
    "row_explain": {"en": "Row {name} of W laid back on the patch grid: colour = how much token {name} takes "
                          "from each patch (black box: the token itself).",
                    "vi": "Hàng {name} của W đặt lại lên lưới patch: màu = lượng token {name} lấy từ mỗi patch "
                          "(khung đen: chính token đó)."},
    "row_cls": {"en": "From [CLS] (averaged): {value}.", "vi": "Từ [CLS] (trung bình): {value}."},
    "attention_vs_w": {"en": "Attention beside W, same tokens", "vi": "Attention cạnh W, cùng các token"},
    "attention_on_image": {"en": "Attention computed from this picture", "vi": "Attention tính từ bức ảnh này"},
    "w_same_for_all": {"en": "W (the same for every picture)", "vi": "W (giống nhau với mọi bức ảnh)"},
    "attention_vs_w_explain": {"en": "Change the picture: the attention map (softmax of the tokens' scaled dot "
                                     "products entering this layer) changes, W does not.",
                               "vi": "Đổi bức ảnh: bản đồ attention (softmax của tích vô hướng đã chia tỉ lệ giữa "
                                     "các token đi vào tầng này) thay đổi, còn W thì không."},
    # ---- language models page
    "lm_title": {"en": "Language models (text)", "vi": "Mô hình ngôn ngữ (văn bản)"},
    "lm_blurb": {"en": "Two sets of three character models — attention, gMLP, aMLP — trained on Shakespeare and on "
                       "Vietnamese prose read what you type: their surprise, their guesses, attention that moves "
                       "and a W that stays.",
                 "vi": "Hai bộ ba mô hình ký tự — attention, gMLP, aMLP — huấn luyện trên văn xuôi tiếng Việt và "
                       "trên Shakespeare, đọc điều bạn gõ: độ bất ngờ, các dự đoán; attention đổi theo văn bản, "
                       "còn W cố định."},
    "lm_intro": {"en": "Each model reads the text one character at a time and guesses the next one. The "
                       "attention model mixes characters with weights computed from the text; the gMLP with a "
                       "learned causal W, the same for every text; the aMLP with both.",
                 "vi": "Mỗi mô hình đọc văn bản từng ký tự một và đoán ký tự tiếp theo. Mô hình attention trộn "
                       "các ký tự bằng trọng số tính từ chính văn bản; gMLP dùng ma trận W nhân quả đã học, giống "
                       "nhau với mọi văn bản; aMLP dùng cả hai."},
    "lm_missing": {"en": "No language model found in checkpoints/ (lm-attention, lm-gmlp, lm-amlp .safetensors). "
                         "Train them with `python -m gmlp_core.train_lm` (see README.md).",
                   "vi": "Không tìm thấy mô hình ngôn ngữ nào trong checkpoints/ (lm-attention, lm-gmlp, lm-amlp "
                         ".safetensors). Hãy huấn luyện bằng `python -m gmlp_core.train_lm` (xem README.md)."},
    "lm_text": {"en": "Text", "vi": "Văn bản"},
    "lm_need_text": {"en": "Type some text to see what the models make of it.",
                     "vi": "Hãy gõ một đoạn văn bản để xem các mô hình hiểu nó ra sao."},
    "lm_truncated": {"en": "The text has {total} characters; the models read the first {limit} (their context).",
                     "vi": "Văn bản có {total} ký tự; các mô hình chỉ đọc {limit} ký tự đầu (ngữ cảnh của chúng)."},
    "lm_unknown": {"en": "{n} characters are not among the {size} these models know ({corpus}): each is read as "
                         "one and the same unknown character, so the models cannot tell them apart. The charts "
                         "still label them with what you typed: {chars}",
                   "vi": "{n} ký tự không nằm trong {size} ký tự mà các mô hình này biết ({corpus}): mỗi ký tự như "
                         "vậy được đọc là cùng một ký tự lạ, nên mô hình không phân biệt được chúng. Biểu đồ vẫn "
                         "ghi đúng ký tự bạn gõ: {chars}"},
    "lm_models": {"en": "Models trained on", "vi": "Mô hình được huấn luyện trên"},
    "lm_mean_help": {"en": "Average surprise on this text, in nats per character (lower = the model expected it).",
                     "vi": "Độ bất ngờ trung bình trên văn bản này, tính bằng nat mỗi ký tự (thấp hơn = mô hình "
                           "đã đoán trước được)."},
    "lm_surprise_title": {"en": "How surprised each model is by every character",
                          "vi": "Mức độ bất ngờ của từng mô hình với mỗi ký tự"},
    "lm_nats": {"en": "nats", "vi": "nat"},
    "lm_char": {"en": "character", "vi": "ký tự"},
    "lm_guesses": {"en": "its top-5 guesses", "vi": "5 dự đoán hàng đầu"},
    "lm_surprise_explain": {"en": "Surprise = −ln p(character | the characters before it). Hover or tap a point "
                                  "for the model's top-5 guesses at that place.",
                            "vi": "Độ bất ngờ = −ln p(ký tự | các ký tự trước nó). Rê chuột hoặc chạm vào một điểm để xem "
                                  "5 dự đoán hàng đầu của mô hình ở vị trí đó."},
    "lm_view": {"en": "Look inside", "vi": "Xem bên trong mô hình"},
    "lm_view_training": {"en": "Training", "vi": "Huấn luyện"},
    "lm_writing": {"en": "writing…", "vi": "đang viết…"},
    "lm_view_generate": {"en": "Continue the text", "vi": "Viết tiếp"},
    "lm_attention_explain": {"en": "Causal attention of the trained model on your text: row = the character "
                                   "reading, column = the character read. Change the text and watch it move.",
                             "vi": "Attention nhân quả của mô hình đã huấn luyện trên văn bản của bạn: hàng = ký tự "
                                   "đang đọc, cột = ký tự được đọc. Đổi văn bản và xem nó thay đổi."},
    "lm_w_explain": {"en": "The gMLP's causal W, cropped to your text. It does not depend on the text: change the "
                           "text and only the axis labels change. Attention moves, W stays.",
                     "vi": "Ma trận W nhân quả của gMLP, cắt theo độ dài văn bản của bạn. Nó không phụ thuộc vào văn "
                           "bản: đổi văn bản thì chỉ nhãn trục thay đổi. Attention đổi theo văn bản, còn W cố định."},
    "lm_full_w": {"en": "The whole {block}×{block} W", "vi": "Toàn bộ ma trận W {block}×{block}"},
    "lm_full_w_title": {"en": "W over every position of the {block}-character context (average of the chosen heads)",
                        "vi": "W trên mọi vị trí của ngữ cảnh {block} ký tự (trung bình các head đã chọn)"},
    "lm_full_w_explain": {"en": "A band along the diagonal: each position reads mostly the few characters just "
                                "before it, and each row looks like the row above moved by one — the "
                                "shift-invariant (Toeplitz-like) structure the paper reports for language.",
                          "vi": "Một dải dọc đường chéo: mỗi vị trí chủ yếu đọc vài ký tự ngay trước nó, và mỗi "
                                "hàng giống hàng phía trên dịch đi một ô — cấu trúc bất biến theo dịch chuyển "
                                "(dạng Toeplitz) mà bài báo mô tả cho ngôn ngữ."},
    "lm_amlp_explain": {"en": "The aMLP has both: a tiny single-head attention (computed from your text) added to "
                              "the gate, and a causal W (the same for every text).",
                        "vi": "aMLP có cả hai: một attention nhỏ một head (tính từ văn bản của bạn) cộng vào cổng, "
                              "và một ma trận W nhân quả (giống nhau với mọi văn bản)."},
    "lm_tiny_attention": {"en": "Tiny attention (from this text)", "vi": "Attention nhỏ (tính từ văn bản này)"},
    "lm_curves_title": {"en": "Validation loss during training", "vi": "Hàm mất mát trên tập kiểm định khi huấn luyện"},
    "lm_step": {"en": "training step", "vi": "bước huấn luyện"},
    "lm_val_loss": {"en": "validation loss (nats/char)", "vi": "mất mát kiểm định (nat/ký tự)"},
    "lm_curves_explain": {"en": "Final validation loss (nats per character, lower is better): {losses}.",
                          "vi": "Mất mát kiểm định cuối cùng (nat mỗi ký tự, thấp hơn là tốt hơn): {losses}."},
    "lm_w_at": {"en": "{model}'s W at {label}, layer {layer} (average of heads)",
                "vi": "W của {model} tại {label}, tầng {layer} (trung bình các head)"},
    "lm_snapshot_explain": {"en": "Slide from init to the end: W starts near zero and the band along the diagonal "
                                  "forms as the model learns which earlier characters matter.",
                            "vi": "Kéo từ lúc khởi tạo đến cuối: W bắt đầu gần 0 và dải dọc đường chéo hình thành "
                                  "khi mô hình học được những ký tự phía trước nào là quan trọng."},
    "lm_generate_explain": {"en": "Each model continues your text, one sampled character at a time. The same seed "
                                  "gives the same text.",
                            "vi": "Mỗi mô hình viết tiếp văn bản của bạn, lấy mẫu từng ký tự một. Cùng seed thì "
                                  "cho cùng văn bản."},
    "lm_temperature": {"en": "Temperature", "vi": "Nhiệt độ"},
    "lm_top_k": {"en": "Top-k", "vi": "Top-k"},
    "lm_length": {"en": "Characters", "vi": "Số ký tự"},
    # gmlp_core.errors codes: the library's errors in every language but English, whose sentence is the
    # error's own message (str(err), what the API and the CLIs print), so it is written once
    "err_image_empty": {"vi": "tệp trống (0 byte); hãy tải lên một ảnh PNG, JPEG, WebP, BMP hoặc GIF"},
    "err_image_too_big": {"vi": "tệp nặng {mb} MB; giới hạn là {limit} MB"},
    "err_image_unreadable": {"vi": "tệp này không phải là ảnh đọc được; hãy tải lên một ảnh PNG, JPEG, WebP, BMP "
                                   "hoặc GIF"},
    "err_image_too_many_pixels": {"vi": "ảnh có quá nhiều điểm ảnh (giới hạn {limit})"},
    "err_image_no_pixels": {"vi": "ảnh không có điểm ảnh nào ({size})"},
    "err_image_channels": {"vi": "mô hình đọc {channels} kênh màu; ảnh cho 1 (xám), 3 (RGB) hoặc 4 (RGBA)"},
    "err_image_corrupt": {"vi": "dữ liệu ảnh bị hỏng nên không giải mã được; hãy tải lên một tệp PNG, JPEG, WebP, "
                                "BMP hoặc GIF nguyên vẹn"},
    "err_image_truncated": {"vi": "tệp ảnh bị cắt cụt (thiếu phần cuối, có thể do tải lên chưa xong); hãy tải lên "
                                  "một tệp PNG, JPEG, WebP, BMP hoặc GIF đầy đủ"},
    "err_class_names_unreadable": {"vi": "{file}: không đọc được tên lớp ({detail}); hãy dùng tệp văn bản UTF-8, mỗi "
                                         "dòng một tên"},
    "err_class_names_count": {"vi": "{file}: có {given} tên lớp cho một mô hình {expected} lớp; hãy ghi mỗi dòng một "
                                    "tên, theo thứ tự nhãn"},
    "err_checkpoint_disguised": {"vi": "{file}: bị từ chối: tên là .safetensors nhưng nội dung không phải tệp "
                                       "safetensors"},
    "err_checkpoint_unknown_content": {"vi": "{file}: tệp không được hỗ trợ; chấp nhận: .safetensors, hoặc .pt/.pth "
                                             "ghi bằng torch.save"},
    "err_checkpoint_layout": {"vi": "{file}: không nhận ra kiến trúc gMLP ({detail})"},
    "err_checkpoint_type": {"vi": "{file}: loại tệp {suffix} không được hỗ trợ; chấp nhận: {accepted}"},
    "err_checkpoint_too_big": {"vi": "{file}: tệp nặng {mb} MB; giới hạn là {limit} MB"},
    "err_checkpoint_empty": {"vi": "{file}: tệp trống"},
    "err_checkpoint_corrupt": {"vi": "{file}: tệp {kind} bị hỏng hoặc bị cắt cụt ({detail})"},
    "err_checkpoint_code": {"vi": "{file}: bị từ chối: tệp chứa đối tượng Python ngoài tensor, có thể chạy mã khi "
                                  "nạp. Hãy lưu lại bằng torch.save(model.state_dict(), path)"},
    "err_checkpoint_no_tensors": {"vi": "{file}: không tìm thấy tensor nào; cần một state_dict"},
    "err_checkpoint_mismatch": {"vi": "{file}: trọng số không khớp với mô hình ({detail})"},
    "err_checkpoint_arch": {"vi": "{file}: kiến trúc {arch} không rõ; chấp nhận: {accepted}"},
    "err_checkpoint_config": {"vi": "{file}: cấu hình hoặc siêu dữ liệu trong phần đầu tệp không hợp lệ ({detail})"},
    "err_checkpoint_too_large": {"vi": "{file}: bị từ chối: {detail}"},
    "err_checkpoint_meta": {"vi": "{file}: trường siêu dữ liệu {field} không dùng được"},
    "err_checkpoint_compressed": {"vi": "{file}: bị từ chối: tệp có mục bị nén; torch.save ghi các mục không nén"},
    "err_checkpoint_not_vision": {"vi": "{file}: đây là mô hình {arch}; các trang ảnh cần một gMLP thị giác"},
    "err_table_empty": {"vi": "bảng embedding đang trống; hãy nhập mỗi token một hàng số"},
    "err_table_ragged": {"vi": "hàng {row} của bảng embedding có {given} số; mỗi hàng cần {width} số"},
    "err_table_not_number": {"vi": "bảng embedding, hàng {row}, cột {column}: {value} không phải là số; hãy viết "
                                   "một số như 0,5, 0.5 hoặc -2"},
    "err_table_ambiguous": {"vi": "bảng embedding, hàng {row}, cột {column}: {value} không rõ nghĩa; hãy viết 1000 "
                                  "cho một nghìn, hoặc 1,0 (hay 1.0) cho một"},
    "err_table_not_finite": {"vi": "bảng embedding, hàng {row}, cột {column}: {value} không phải là số hữu hạn"},
    "err_table_too_many_rows": {"vi": "bảng embedding có {rows} hàng; bài học nhận tối đa {limit} token"},
    "err_table_too_large": {"vi": "bảng embedding, hàng {row}, cột {column}: {value} quá lớn; hãy dùng số trong "
                                  "khoảng -{limit} đến {limit}"},
    # ---- Playground
    "pg_title": {"en": "Playground: train it yourself", "vi": "Sân tập: tự huấn luyện"},
    "pg_blurb": {"en": "Press play and watch a tiny attention, gMLP or aMLP learn a task in seconds: what a fixed W "
                       "can learn, and where it needs attention.",
                 "vi": "Bấm chạy và xem một mô hình attention, gMLP hay aMLP nhỏ học một bài trong vài giây: W cố "
                       "định học được gì, và khi nào cần đến attention."},
    "pg_intro": {"en": "A tiny model learns a task on short sequences, live. Position tasks can be solved by a fixed "
                       "W: watch each row of W find the position it must copy. Recall needs a lookup by content: "
                       "watch where a fixed W gives up and the aMLP's tiny attention rescues it.",
                 "vi": "Một mô hình nhỏ học một bài trên các chuỗi ngắn, ngay trước mắt. Bài về vị trí giải được "
                       "bằng một W cố định: xem mỗi hàng của W tìm ra vị trí cần chép. Bài nhớ cặp cần tra theo "
                       "nội dung: xem khi nào W cố định bó tay và attention nhỏ của aMLP cứu nó."},
    "pg_settings": {"en": "Playground settings", "vi": "Thiết lập sân tập"},
    "pg_task": {"en": "Task", "vi": "Bài toán"},
    "pg_task_reverse": {"en": "Reverse", "vi": "Đảo ngược"},
    "pg_task_shift": {"en": "Shift by 3", "vi": "Dịch 3 vị trí"},
    "pg_task_swap": {"en": "Swap halves", "vi": "Đổi chỗ hai nửa"},
    "pg_task_recall": {"en": "Associative recall", "vi": "Nhớ cặp khoá–giá trị"},
    "pg_task_majority": {"en": "Most common token", "vi": "Token xuất hiện nhiều nhất"},
    "pg_explain_reverse": {"en": "Write the sequence backwards: output position i copies input position n − 1 − i.",
                           "vi": "Viết chuỗi theo thứ tự ngược: vị trí ra i chép vị trí vào n − 1 − i."},
    "pg_explain_shift": {"en": "Move every token 3 places right, the last 3 wrapping round to the front.",
                         "vi": "Dời mỗi token sang phải 3 vị trí, 3 token cuối vòng lên đầu."},
    "pg_explain_swap": {"en": "The second half first, then the first half.",
                        "vi": "Nửa sau lên trước, rồi đến nửa đầu."},
    "pg_explain_recall": {"en": "Key–value pairs (a letter, then its digit), then the keys again in a new order: "
                                "answer each with its digit. Which position holds the answer depends on the "
                                "sequence, so a fixed W cannot simply copy a position.",
                          "vi": "Các cặp khoá–giá trị (một chữ cái rồi chữ số của nó), sau đó các khoá được hỏi lại "
                                "theo thứ tự mới: trả lời mỗi khoá bằng chữ số của nó. Vị trí chứa đáp án đổi theo "
                                "từng chuỗi, nên một W cố định không thể chỉ chép một vị trí."},
    "pg_explain_majority": {"en": "Every position answers the token that occurs most often. No lookup is needed, "
                                  "only an average over all positions: a W with flat rows does it.",
                            "vi": "Mọi vị trí đều trả lời token xuất hiện nhiều nhất. Không cần tra cứu, chỉ cần "
                                  "lấy trung bình trên mọi vị trí: một W có các hàng đều nhau làm được."},
    "pg_model": {"en": "Model", "vi": "Mô hình"},
    "pg_layers": {"en": "Layers", "vi": "Số lớp"},
    "pg_heads": {"en": "Heads", "vi": "Số head"},
    "pg_width": {"en": "Width", "vi": "Độ rộng"},
    "pg_lr": {"en": "Learning rate", "vi": "Tốc độ học"},
    "pg_seed": {"en": "Seed", "vi": "Hạt giống ngẫu nhiên"},
    "pg_length": {"en": "Sequence length", "vi": "Độ dài chuỗi"},
    "pg_pairs": {"en": "Key–value pairs", "vi": "Số cặp khoá–giá trị"},
    "pg_steps": {"en": "Training steps", "vi": "Số bước huấn luyện"},
    "pg_play": {"en": "Play", "vi": "Chạy"},
    "pg_pause": {"en": "Pause", "vi": "Tạm dừng"},
    "pg_step": {"en": "Step", "vi": "Từng bước"},
    "pg_reset": {"en": "Reset", "vi": "Về đầu"},
    "pg_buttons_help": {"en": "Play trains (or replays) and follows the run; Pause holds your view while the run "
                              "goes on; Step moves one recorded state on; Reset goes back to the start.",
                        "vi": "Chạy sẽ huấn luyện (hoặc phát lại) và đi theo lượt chạy; Tạm dừng giữ nguyên màn hình "
                              "của bạn trong khi lượt chạy vẫn tiếp tục; Từng bước tiến một trạng thái đã ghi; Về đầu "
                              "quay lại lúc bắt đầu."},
    "pg_not_started": {"en": "Not trained yet with these settings: press Play (about {seconds} s).",
                       "vi": "Chưa huấn luyện với thiết lập này: bấm Chạy (khoảng {seconds} giây)."},
    "pg_queued": {"en": "Waiting in the queue: {ahead} run(s) before yours. One model trains at a time on this "
                        "computer, so that every page stays fast.",
                  "vi": "Đang chờ trong hàng: còn {ahead} lượt trước bạn. Máy này huấn luyện từng mô hình một, để "
                        "mọi trang vẫn nhanh."},
    "pg_starting": {"en": "Starting…", "vi": "Đang bắt đầu…"},
    "pg_training": {"en": "Training… step {step} of {total}", "vi": "Đang huấn luyện… bước {step} / {total}"},
    "pg_done": {"en": "Trained: {steps} steps in {seconds} s.", "vi": "Đã huấn luyện: {steps} bước trong {seconds} giây."},
    "pg_recorded": {"en": "A recorded run, shipped with the app: it replays at once.",
                    "vi": "Một lượt chạy đã ghi sẵn cùng ứng dụng: phát lại ngay."},
    "pg_failed": {"en": "This run failed: {error}", "vi": "Lượt chạy này bị lỗi: {error}"},
    "pg_queue_full": {"en": "Too many runs are waiting ({waiting}). Try a recorded setting (the defaults) or again "
                            "in a minute.",
                      "vi": "Quá nhiều lượt đang chờ ({waiting}). Hãy thử thiết lập đã ghi sẵn (mặc định) hoặc thử "
                            "lại sau một phút."},
    "err_playground_queue_full": {"vi": "hàng chờ của sân tập đã đầy ({waiting} lượt đang chờ)"},
    "pg_replay": {"en": "Replay the run: step", "vi": "Xem lại lượt chạy: bước"},
    "pg_metric_step": {"en": "Step", "vi": "Bước"},
    "pg_metric_loss": {"en": "Loss", "vi": "Mất mát (loss)"},
    "pg_metric_accuracy": {"en": "Held-out accuracy", "vi": "Độ chính xác (dữ liệu giữ lại)"},
    "pg_curves": {"en": "Loss and held-out accuracy", "vi": "Mất mát và độ chính xác trên dữ liệu giữ lại"},
    "pg_step_axis": {"en": "step", "vi": "bước"},
    "pg_loss_axis": {"en": "loss (nats)", "vi": "mất mát (nat)"},
    "pg_accuracy_axis": {"en": "accuracy", "vi": "độ chính xác"},
    "pg_example": {"en": "One held-out example", "vi": "Một ví dụ giữ lại"},
    "pg_input": {"en": "input", "vi": "đầu vào"},
    "pg_right": {"en": "right answer", "vi": "đáp án đúng"},
    "pg_answer": {"en": "model's answer", "vi": "mô hình trả lời"},
    "pg_position": {"en": "position", "vi": "vị trí"},
    "pg_not_asked": {"en": "·", "vi": "·"},
    "pg_example_explain": {"en": "Green: right; red: wrong; · a position that is not asked about.",
                           "vi": "Xanh: đúng; đỏ: sai; · vị trí không được hỏi."},
    "pg_w": {"en": "W: which input position each output position reads", "vi": "W: mỗi vị trí ra đọc từ vị trí vào nào"},
    "pg_target": {"en": "Target: the position each output copies", "vi": "Đích: vị trí mà mỗi đầu ra cần chép"},
    "pg_w_explain": {"en": "When the task is about positions, each row of W should be strongest where the target "
                           "is: its largest value in size, red or blue (the gate multiplies W's output, so a "
                           "negative weight copies as well as a positive one). {peaks} of {n} rows are, averaged "
                           "over heads.",
                     "vi": "Với bài về vị trí, mỗi hàng của W nên mạnh nhất đúng chỗ của đích: giá trị có độ lớn "
                           "lớn nhất, đỏ hay xanh đều được (cổng nhân với đầu ra của W, nên trọng số âm cũng chép "
                           "được như trọng số dương). Hiện có {peaks} / {n} hàng như vậy, tính trung bình theo các "
                           "head."},
    "pg_maps": {"en": "Attention on the example", "vi": "Attention trên ví dụ"},
    "pg_maps_explain": {"en": "Attention is computed from the example's tokens: it changes with the input, while W "
                              "is the same for every input.",
                        "vi": "Attention được tính từ các token của ví dụ: nó đổi theo đầu vào, còn W thì như nhau "
                              "với mọi đầu vào."},
    "pg_output_position": {"en": "output position", "vi": "vị trí ra"},
    "pg_input_position": {"en": "input position", "vi": "vị trí vào"},
    "pg_mixer_attention": {"en": "Attention", "vi": "Attention"},
    "pg_mixer_gmlp": {"en": "gMLP", "vi": "gMLP"},
    "pg_mixer_amlp": {"en": "aMLP (gMLP + tiny attention)", "vi": "aMLP (gMLP + attention nhỏ)"},
}


def t(key: str, lang: str = "en", **values) -> str:
    """The string for key in lang (English when lang is unknown), formatted with values."""
    entry = CATALOGUE[key]
    return (entry[lang] if lang in entry else entry["en"]).format(**values)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# Class names a model records, in the user's language where the catalogue knows them (CIFAR-10);
# any other name (ImageNet's, a user's own) is shown as recorded.
CLASS_NAMES: dict[str, dict[str, str]] = {
    "airplane": {"en": "airplane", "vi": "máy bay"},
    "automobile": {"en": "automobile", "vi": "ô tô"},
    "bird": {"en": "bird", "vi": "chim"},
    "cat": {"en": "cat", "vi": "mèo"},
    "deer": {"en": "deer", "vi": "hươu"},
    "dog": {"en": "dog", "vi": "chó"},
    "frog": {"en": "frog", "vi": "ếch"},
    "horse": {"en": "horse", "vi": "ngựa"},
    "ship": {"en": "ship", "vi": "tàu thuỷ"},
    "truck": {"en": "truck", "vi": "xe tải"},
}
SEPARATORS = {"en": (",", "."), "vi": (".", ",")}  # (thousands, decimal)


# The corpora the language models are trained on: their titles, and the language their text is in (the
# Language models page opens on the set that speaks the interface's language).
CORPORA: dict[str, dict[str, str]] = {
    "tinyshakespeare/input.txt": {"en": "Shakespeare (English)", "vi": "Shakespeare (tiếng Anh)", "language": "en"},
    "vi-help/input.txt": {"en": "Tiếng Việt", "vi": "Tiếng Việt", "language": "vi"},
}


def corpus_title(corpus: str, lang: str = "en") -> str:
    """A corpus's title in the interface language; a corpus we do not know by its recorded name."""
    return CORPORA.get(corpus, {}).get(lang) or corpus or "?"


def corpus_language(corpus: str) -> str | None:
    return CORPORA.get(corpus, {}).get("language")


def class_name(name: str, lang: str = "en") -> str:
    return CLASS_NAMES.get(name, {}).get(lang, name)


def number(value: float, lang: str = "en", decimals: int = 0) -> str:
    """1837514 -> '1,837,514' (en) / '1.837.514' (vi); decimals after the language's decimal mark."""
    thousands, decimal = SEPARATORS.get(lang, SEPARATORS["en"])
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def significant(value: float, lang: str = "en", digits: int = 3) -> str:
    """value to `digits` significant digits in the language's format, a power of ten written out:
    0.0123 -> '0.0123' / '0,0123'; 5.96e-08 -> '6 × 10⁻⁸' (never Python's '6e-08', which no reader expects)."""
    mantissa, _, exponent = f"{value:.{digits}g}".partition("e")
    mantissa = mantissa.replace(".", SEPARATORS.get(lang, SEPARATORS["en"])[1])
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}" if exponent else mantissa


def date_text(timestamp: str, lang: str = "en") -> str:
    """An ISO timestamp a checkpoint records ('2026-11-24T22:35:58Z') -> its date in the language; the text as
    recorded when it is not one."""
    try:
        when = datetime.fromisoformat(timestamp)
    except (TypeError, ValueError):
        return str(timestamp)
    return t("date", lang, year=when.year, month=when.month, day=when.day)


def device_text(device: str, lang: str = "en") -> str:
    """A device a checkpoint records ('CPU: AMD EPYC (2 threads)') with its thread count in the language."""
    return re.sub(r"\((\d+) threads?\)", lambda m: t("device_threads", lang, n=m.group(1)), str(device))


def percent(fraction: float, lang: str = "en", decimals: int = 1) -> str:
    """0.7824 -> '78.2%' (en) / '78,2%' (vi)."""
    return number(100 * fraction, lang, decimals) + "%"
