"""The Playground page's strings, in English and Vietnamese (merged into gmlp_core.ui.i18n.CATALOGUE)."""

PLAYGROUND: dict[str, dict[str, str]] = {
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
    "pg_w_explain": {"en": "When the task is about positions, each row of W should peak where the target does: "
                           "{peaks} of {n} rows do now.",
                     "vi": "Với bài về vị trí, mỗi hàng của W nên đạt đỉnh đúng chỗ của đích: hiện có {peaks} / {n} "
                           "hàng như vậy."},
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
