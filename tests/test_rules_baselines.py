"""Baselines from comparison phrases: "compared to", "over", "than", "versus", "relative to".

Sentences marked "corpus" are from examples/hf-daily-papers-latency.txt.
"""

from __future__ import annotations

import pytest

from claimex.backends.rules.comparisons import baseline_names
from rules_support import claims


def baselines(text: str) -> list[list[str]]:
    return [c.baselines for c in claims(text)]


@pytest.mark.parametrize(
    ("target", "names"),
    [
        ("Orca and vLLM", ("Orca", "vLLM")),
        ("LRU, LFU, size-based, adaptive LRU, and a hybrid baseline", None),
        ("Transformers and Galaxy", ("Transformers", "Galaxy")),
        ("state-of-the-art systems like vLLM", ("vLLM",)),
        ("the state-of-the-art systems, such as FasterTransformer and Orca", None),
        ("the state-of-the-art LLM serving system vLLM", ("vLLM",)),
        ("the previous state-of-the-art architecture AmoebaNet-B", ("AmoebaNet-B",)),
        ("other state-of-the-art SNNs", ("state-of-the-art SNNs",)),
        ("a 16-bit baseline", ("16-bit baseline",)),
        ("the best classical baseline", ("best classical baseline",)),
        ("loosely-coupled (LC) systems", ("loosely-coupled (LC) systems",)),
        ("the all-reduce used in DiLoCo", ("DiLoCo",)),
        ("Qwen3-1.7B/0.6B", ("Qwen3-1.7B", "Qwen3-0.6B")),
        ("the teacher's", ("teacher",)),
        ("the internet", ()),
        ("90%", ()),
        ("5G", ("5G",)),
        ("the best of prior systems", ("best of prior systems",)),
    ],
)
def test_baseline_names(target: str, names: tuple[str, ...] | None) -> None:
    found = baseline_names(target)
    if names is None:
        assert len(found) >= 2 and "such" not in " ".join(found)
    else:
        assert found == names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # corpus: a closing ", compared to X" covers every result of the sentence
            "DistServe can serve 4.48x more requests or 10.2x tighter SLO, compared to "
            "state-of-the-art systems, while staying within latency constraints for > 90% of "
            "requests.",
            [["state-of-the-art systems"], ["state-of-the-art systems"]],
        ),
        (  # corpus: slash pairs expand position by position
            "achieving over +5.5% average accuracy, 1.3x/1.9x lower latency, and 18.7x/45.6x "
            "higher throughput compared to Qwen3-1.7B/0.6B, respectively.",
            [
                ["Qwen3-1.7B", "Qwen3-0.6B"],
                ["Qwen3-1.7B"],
                ["Qwen3-0.6B"],
                ["Qwen3-1.7B"],
                ["Qwen3-0.6B"],
            ],
        ),
        (  # corpus: each comparison belongs to the result before it
            "our MnasNet achieves 75.2% top-1 accuracy with 78ms latency on a Pixel phone, which "
            "is 1.8x faster than MobileNetV2 [29] with 0.5% higher accuracy and 2.3x faster than "
            "NASNet [36] with 1.2% higher accuracy.",
            [[], [], ["MobileNetV2"], ["MobileNetV2"], ["NASNet"], ["NASNet"]],
        ),
        (  # corpus: an opening "Compared to X," covers the sentence
            "Compared to state-of-the-art systems, semi-PD maintains lower latency, reducing the "
            "average end-to-end latency per request by 1.27-2.58x, and serves 1.55-1.72x more "
            "requests.",
            [["state-of-the-art systems"], ["state-of-the-art systems"]],
        ),
        (  # corpus: "outperforms X with speedups of"
            "FastSwitch outperforms the state-of-the-art LLM serving system vLLM with speedups of "
            "1.4-11.2x across different tail TTFT and TBT.",
            [["vLLM"]],
        ),
        (  # corpus: "over 90% compared to Transformers and Galaxy" splits on "and"
            "TPI-LLM demonstrated over 80% less time-to-first-token and token latency compared to "
            "Accelerate, and over 90% compared to Transformers and Galaxy.",
            [["Accelerate"], ["Transformers", "Galaxy"]],
        ),
        (  # corpus: numbers after "versus" are results, not baselines
            "the best text models achieve 54.0% versus 11.3% for voice.",
            [[], []],
        ),
        (  # written: "relative to", and "less than X" that compares rather than bounds
            "Zephyr lowers tail latency by 41-63% relative to Clockwork and takes 30% less time "
            "than Megatron-LM.",
            [["Clockwork"], ["Megatron-LM"]],
        ),
        (  # written: the comparison in a later ", while" clause stays there
            "It generates an image in 0.21 s, a 25x speedup, while its FID is only 1.2 higher "
            "than the teacher's FID.",
            [[], [], ["teacher"]],
        ),
        (  # written: a factor of a lowercase-led name's level
            "Foo sustains 3x the request rate of vLLM.",
            [["vLLM"]],
        ),
        (  # written: a comma list of names after "than" goes on past the first comma
            "Foo delivers 1.5-3x higher throughput than vLLM, SGLang, and TensorRT-LLM while "
            "meeting latency SLOs.",
            [["vLLM", "SGLang", "TensorRT-LLM"]],
        ),
        (  # written: ... but a new clause after the comma is not part of it
            "Foo is 2x faster than Alpha, Foo also cuts memory by 30%.",
            [["Alpha"], ["Alpha"]],
        ),
        (  # written: "matches the <metric> of X" compares with X
            "Foo matches the accuracy of full fine-tuning while training 3x faster.",
            [["full fine-tuning"]],
        ),
        (  # written: a share of a named baseline
            "Our best model reaches 99.3% of the performance level of ChatGPT.",
            [["ChatGPT"]],
        ),
        (  # written: "..., respectively" pairs each value with its own baseline
            "Our tool cuts iteration time by 2x, 2.5x, 1.3x, and 1.1x across many settings, "
            "compared to Baseline Foo, Torch-Z, Bar-optimized Lib, and BarLib, respectively.",
            [["Baseline Foo"], ["Torch-Z"], ["Bar-optimized Lib"], ["BarLib"]],
        ),
        (  # written: an opening comparison paired by a "respectively" after the values
            "Compared with Alpha and Beta, Foo reduces p99 latency by 41% and 28%, respectively.",
            [["Alpha"], ["Beta"]],
        ),
        (  # written: "respectively" that pairs the values with datasets leaves baselines shared
            "Compared with Alpha and Beta, Foo reduces latency by 41% and 28% on Cee and Dee, "
            "respectively.",
            [["Alpha", "Beta"], ["Alpha", "Beta"]],
        ),
        (  # written: "outperforms A, B, and C by x, y, and z, respectively"
            "Foo outperforms Alpha, Beta, and Gamma by 1.5x, 2.0x, and 3.1x, respectively.",
            [["Alpha"], ["Beta"], ["Gamma"]],
        ),
        (  # written: names in brackets after a generic phrase replace it, as with "such as"
            "Our engine beats prior serving frameworks (AlphaServe, betaRT and GammaLM) by "
            "1.2x-1.9x on long prompts.",
            [["AlphaServe", "betaRT", "GammaLM"]],
        ),
        (  # written: brackets closing a participle clause after the generic phrase
            "It reaches 3-5x higher throughput than prior systems employing static batching "
            "(AlphaServe, e-Serve)",
            [["AlphaServe", "e-Serve"]],
        ),
        (  # written: a bracketed workload or baseline value is not a list of baselines
            "It reaches 3-5x higher throughput than prior systems on large models (Llama-70B), "
            "and it matches earlier methods (about 0.91) at small sizes.",
            [["prior systems"]],
        ),
        (  # written: "half the number of GPUs" counts a resource, the comparison names FP16
            "It serves 2x more requests with half the number of GPUs compared to FP16 inference.",
            [["FP16 inference"], ["FP16 inference"]],
        ),
    ],
)
def test_baselines_of_each_claim(text: str, expected: list[list[str]]) -> None:
    assert baselines(text) == expected


def test_a_comparison_not_naming_anything_is_no_baseline() -> None:
    text = "Workers communicate over the internet and training is 2x faster."
    assert baselines(text) == [[]]
    assert baselines("It runs 5.6x faster than real time on a phone.") == [[]]


def test_than_and_compared_with_need_no_name() -> None:
    text = "It reduces inference cost by 3-5x compared with full fine-tuning."
    assert baselines(text) == [["full fine-tuning"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pooling the adapters gives 1.8x higher throughput than hosting on separate GPUs.",
            [["hosting on separate GPUs"]],
        ),
        (
            "Our planner beats a generic model for kitchen robotics by 9% in success rate.",
            [["generic model for kitchen robotics"]],
        ),
        (
            "Our planner beats a generic model for kitchen robotics by up to 9% in success rate.",
            [["generic model for kitchen robotics"]],
        ),
        ("Pooling the adapters gives 1.8x more throughput than S-LoRA on A10 GPUs.", [["S-LoRA"]]),
        ("Pooling the adapters is 1.8x faster than the baseline on average.", [["baseline"]]),
    ],
)
def test_a_described_baseline_keeps_its_short_tail(text: str, expected: list[list[str]]) -> None:
    assert baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a level takes no comparison from the next clause
            "FooServe reaches 0.8 ms latency, and is 3x faster than vLLM.",
            [[], ["vLLM"]],
        ),
        (  # ... nor one that belongs to the change after it
            "FooServe reaches 0.8 ms latency and 3x higher throughput than vLLM.",
            [[], ["vLLM"]],
        ),
        (  # ... nor one in another clause after ";"
            "FooNet attains 84.4% accuracy on ImageNet; FooMT achieves better quality than "
            "bilingual models.",
            [[]],
        ),
        (  # a level compared within its own clause keeps it
            "FooLM reaches 78.2% accuracy, higher than BarLM.",
            [["BarLM"]],
        ),
        (  # a bare "over" before a level is a preposition, not a comparison
            "We search over a single 50 billion vector index that offers 26ms median latency.",
            [[]],
        ),
        (  # ... but a comparative "more ... than X" governs the share after it
            "FooSched places more pods than the default scheduler in over 44% of scenarios.",
            [["default scheduler"]],
        ),
        (  # the nearest verb before a result is its comparison
            "We match Alpha and Beta on inference and outperform the strongest baselines by "
            "10-40% on training.",
            [["strongest baselines"]],
        ),
        (  # "outperforms X by a on A, b on B, and c on C": the whole list
            "FooKit outperforms the strongest baselines by 10-40% on A, 8x on B, and 14x on C.",
            [["strongest baselines"]] * 3,
        ),
        (  # ", surpassing X" after a level compares that level
            "FooNet reaches 91.2% accuracy, surpassing all prior methods.",
            [["prior methods"]],
        ),
        (  # across ", while" a bare comparative keeps the comparison, a change verb does not
            "FooNet is 3% more accurate than BarNet, while being 1.2x faster.",
            [["BarNet"], ["BarNet"]],
        ),
        (
            "FooNet is 3% more accurate than BarNet, while cutting memory by 40%.",
            [["BarNet"], []],
        ),
        (  # parallel clauses after ";" keep the comparison
            "FooCache raises the hit ratio by 40% over the best static policy; at 1 GB, a 9% gain.",
            [["best static policy"], ["best static policy"]],
        ),
    ],
)
def test_which_result_a_comparison_belongs_to(text: str, expected: list[list[str]]) -> None:
    assert baselines(text) == expected


def test_a_sentence_may_start_with_a_lowercase_led_name() -> None:
    text = "We beat BarDB on reads. vFoo improves latency by 30%."
    assert [(c.baselines, c.system) for c in claims(text)] == [([], "vFoo")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the whole described baseline, not its last name-like word
        ("Our model is 2.1x faster than the best existing ConvNet.", [["best existing ConvNet"]]),
        (
            "FooKV is 3.8x faster than the SOTA implementations for GPU.",
            [["SOTA implementations for GPU"]],
        ),
        (
            "FooSearch is 6x more efficient than existing sharding and routing strategies that "
            "send the query to all shards.",
            [["existing sharding and routing strategies"]],
        ),
        (
            "Compared to state-of-the-art batch and serverless inference systems, Foo achieves "
            "7.8x lower latency.",
            [["state-of-the-art batch and serverless inference systems"]],
        ),
        (  # parts with their own head nouns are two baselines
            "It cuts latency by 20% compared to prior systems and existing methods.",
            [["prior systems", "existing methods"]],
        ),
        (
            "FooSched raises throughput by 20% compared to traditional checkpoint solutions in "
            "the industry.",
            [["traditional checkpoint solutions in the industry"]],
        ),
        (
            "FooBot answers 12% more questions than a baseline that answers without retrieval.",
            [["baseline that answers without retrieval"]],
        ),
        (
            "FooIdx beats the learned index from Smith et al. by up to 2.2x on lookups.",
            [["learned index from Smith et al"]],
        ),
        # a singular noun after a name says what the name is; a plural is a class
        (
            "FooDet improves precision by 30% over the open-source BarNet-416 implementation.",
            [["BarNet-416"]],
        ),
        ("FooDet is 2x faster than the YOLOv9-tiny model.", [["YOLOv9-tiny"]]),
        (
            "FooDet is 2x faster than HuggingFace implementations.",
            [["HuggingFace implementations"]],
        ),
        ("FooDet is 2x faster than the Quux Runtime.", [["Quux Runtime"]]),
        ("FooQA is 2x faster than the BERT baseline.", [["BERT baseline"]]),
        ("FooLM is 2x faster than the strongest baseline Bar-7B.", [["Bar-7B"]]),
        # an acronym of the words before it belongs to the phrase; another names the system
        (
            "Compared to the state-of-the-art (NCCL), FooComm achieves 8x faster synchronization.",
            [["NCCL"]],
        ),
        ("FooComm is 2x faster than tightly-bound (TB) designs.", [["tightly-bound (TB) designs"]]),
        # a pronoun is no baseline
        (
            "Compared with standard CNNs, FooSNN gives 25x higher energy efficiency, while being "
            "comparable to them in accuracy.",
            [["standard CNNs"]],
        ),
    ],
)
def test_the_whole_described_baseline(text: str, expected: list[list[str]]) -> None:
    assert baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a named list before a value list pairs by position, no "respectively" needed
            "FooServe improves throughput over Triton, TGI, and LightLLM by up to 17x, 17x, "
            "and 2x.",
            [["Triton"], ["TGI"], ["LightLLM"]],
        ),
        (  # a list header: the names after the colon
            "FooServe is up to 3x faster than existing baselines: Alpha, Beta and Gamma.",
            [["Alpha", "Beta", "Gamma"]],
        ),
        (  # a header before results: it covers each of them
            "FooIdx outcompetes the second-best alternatives: (1) in the low-memory regime, by "
            "up to 20.7x in throughput, and (2) in the high-throughput regime by 5.8x with 1.4x "
            "less memory.",
            [["second-best alternatives"]] * 3,
        ),
        # comparison frames (comparisons.txt [skip], [equal_level])
        ("Our accuracy is 5% higher than that achieved by BERT-large.", [["BERT-large"]]),
        ("Its recall is 4% higher than those of prior graph indexes.", [["prior graph indexes"]]),
        ("Our method reduces latency by 30% compared to using Alpha alone.", [["Alpha"]]),
        (
            "FooNet reaches the same accuracy as ResNet-50 with 4x fewer parameters.",
            [["ResNet-50"]],
        ),
        (
            "FooLM reaches comparable accuracy to full fine-tuning while training 3x faster.",
            [["full fine-tuning"]],
        ),
        ("FooLM achieves 76.1% accuracy, on par with ResNet-50.", [["ResNet-50"]]),
        ("FooServe reduces latency by 40% versus Alpha.", [["Alpha"]]),
        ("FooServe reduces latency by 40% relative to Alpha.", [["Alpha"]]),
        ("FooServe achieves a 2x speedup against Alpha.", [["Alpha"]]),
        ("FooServe achieves a 2x speedup over Alpha.", [["Alpha"]]),
    ],
)
def test_lists_headers_and_comparison_frames(text: str, expected: list[list[str]]) -> None:
    assert baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # written: the evaluation clause names the baseline of the results after it
            "We compare FooDB with PostgreSQL and MySQL, and the results show that FooDB cuts "
            "query latency by 3.2x and memory by 20%.",
            [["PostgreSQL", "MySQL"], ["PostgreSQL", "MySQL"]],
        ),
        (  # written: a setup sentence frames the changes of the next one
            "We evaluate FooIdx against HNSW on three billion-scale datasets. FooIdx lowers "
            "search latency by 2.4x and index size by 35%.",
            [["HNSW"], ["HNSW"]],
        ),
        (  # written: the shared baseline of one sentence carries into the next
            "Compared to Apache Spark, FooFlow shortens job completion time by 41%. For "
            "streaming jobs, FooFlow achieves 2.7x higher throughput.",
            [["Apache Spark"], ["Apache Spark"]],
        ),
        (  # written: ... two hops, each a sentence that compares nothing new
            "FooNet is 2x faster than BarNet on GPUs. On CPUs, FooNet is 3.5x faster. On TPUs, "
            "FooNet is 1.2x faster.",
            [["BarNet"], ["BarNet"], ["BarNet"]],
        ),
        (  # written: a sentence with its own comparison keeps it
            "FooNet is 2x faster than BarNet. FooNet also uses 30% less memory than BazNet.",
            [["BarNet"], ["BazNet"]],
        ),
        (  # written: a level in the next sentence takes no frame
            "Compared to vLLM, FooServe raises throughput by 2.1x. FooServe reaches 4,000 "
            "tokens/s on one GPU.",
            [["vLLM"], []],
        ),
        (  # written: another system's result in the next sentence takes no frame
            "FooNet outperforms BarNet by 2x in throughput. The prior system BazNet lowers "
            "latency by 35%.",
            [["BarNet"], []],
        ),
        (  # written: a sentence whose changes have different baselines frames nothing
            "FooDB is 2x faster than Alpha and 3x faster than Beta. FooDB also cuts storage by "
            "40%.",
            [["Alpha"], ["Beta"], []],
        ),
        (  # written: a remark on an advantage "over" others is no evaluation frame
            "Our study shows the advantage of FooLSM over current approaches. FooLSM improves "
            "P99 tail latency by up to 4.8x.",
            [[]],
        ),
        (  # written: a sentence in between with no result ends the frame
            "Compared to Redis, FooKV cuts latency by 30%. Its design is simple and portable. "
            "FooKV also saves 2x memory.",
            [["Redis"], []],
        ),
    ],
)
def test_comparison_frames_across_sentences(text: str, expected: list[list[str]]) -> None:
    assert baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # written: ", while <participle>" goes on with the same subject
            "FooServe serves 3x more requests or meets 1.5x tighter SLOs, while reaching 2.2x "
            "higher throughput relative to Orca.",
            [["Orca"], ["Orca"], ["Orca"]],
        ),
        (  # written: ... but a "than X" there is the participle's own comparison
            "FooNet cuts latency by 30%, while achieving 2x higher throughput than BarNet.",
            [[], ["BarNet"]],
        ),
        (  # written: a new subject after ", while" keeps the comparison to itself
            "FooNet cuts latency by 30%, while BarNet is 2x slower compared to BazNet.",
            [[], ["BazNet"]],
        ),
        (  # written: shares of a resource read against a closing ", compared to X"
            "FooDet uses only 45% of the GPU memory and 60% of the board power, compared to "
            "BarDet-L.",
            [["BarDet-L"], ["BarDet-L"]],
        ),
        (  # written: a share with no comparison names no baseline
            "FooDet uses only 45% of the GPU memory.",
            [[]],
        ),
    ],
)
def test_closing_comparisons_over_participles_and_shares(
    text: str, expected: list[list[str]]
) -> None:
    assert baselines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # written: the baseline's figure in brackets is its condition, the name its baseline
            "FooServe reaches a median latency of 4 ms (vs. 12 ms for vLLM).",
            [(4.0, ["vLLM"], "12 ms")],
        ),
        (  # written: ... with another cue and preposition
            "FooDB answers a query in 3.1 ms (compared to 9.8 ms with PostgreSQL).",
            [(3.1, ["PostgreSQL"], "9.8 ms")],
        ),
        (  # written: the baseline's level after its name and metric
            "Our model reaches 42.1 perplexity compared to SOTA perplexity of 47.5.",
            [(42.1, ["SOTA"], "47.5")],
        ),
        (  # written: ... with a unit
            "FooDB serves a lookup in 3 ms, compared to the PostgreSQL latency of 11 ms.",
            [(3.0, ["PostgreSQL"], "11 ms")],
        ),
        (  # written: a list of baseline figures, each naming its own baseline
            "FooTCP cuts the tail latency to 9 ms, compared to 60 ms for Cubic, 31 ms for Reno, "
            "and 20 ms for BBR.",
            [(9.0, ["Cubic", "Reno", "BBR"], "60 ms; 31 ms; 20 ms")],
        ),
    ],
)
def test_a_baselines_own_figure_is_its_condition(
    text: str, expected: list[tuple[float, list[str], str]]
) -> None:
    assert [(c.value, c.baselines, c.condition) for c in claims(text)] == expected


def test_parallel_scores_after_versus_stay_two_results() -> None:
    # corpus (VERA): in a benchmark both scores are findings, so neither is a baseline figure
    found = claims("the best text models achieve 54.0% versus 11.3% for voice.")
    assert [(c.value, c.baselines) for c in found] == [(54.0, []), (11.3, [])]
