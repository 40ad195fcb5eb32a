"""Every rule of the rules backend by id: the field it decides, what it does, and examples.

Each stored claim lists the ids of the rules that produced it (`claims.rules`), and
`claimex rules list` prints this table. The examples are also tests: each one, run
through the extractor, must fire its rule (tests/test_rules_registry.py), so the
table cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# The stage of the extractor that tries a rule: by its whole id, else its id's first part.
STAGES = {
    "condition.from-level": "condition",  # read after the roles, from the result's own words
    "condition.on-average": "condition",
    "condition.plus-minus": "condition",
    "number": "number form",
    "result": "role",
    "setup": "role",
    "condition": "role",
    "category": "category",
    "kind": "kind",
    "bound": "bound",
    "baseline": "baselines",
    "system": "system",
}


@dataclass(frozen=True)
class Rule:
    """One named rule: its id, the claim field (or role) it decides, its priority, examples.

    priority: its rank in the order its stage tries rules (1 first; the first rule that
    applies decides). RULES lists each stage's rules in that order, and a test checks the
    order against the code that tries them.
    """

    id: str
    field: str
    description: str
    examples: tuple[str, ...]
    priority: int = 0

    @property
    def stage(self) -> str:
        return STAGES.get(self.id) or STAGES[self.id.split(".", 1)[0]]


def _rule(rule_id: str, field: str, description: str, *examples: str) -> Rule:
    return Rule(rule_id, field, description, examples)


def _ranked(*rules: Rule) -> tuple[Rule, ...]:
    """Each rule with its priority: its place among the rules of its stage, as listed."""
    seen: dict[str, int] = {}
    ranked = []
    for rule in rules:
        seen[rule.stage] = seen.get(rule.stage, 0) + 1
        ranked.append(replace(rule, priority=seen[rule.stage]))
    return tuple(ranked)


RULES: tuple[Rule, ...] = _ranked(
    # -- number forms (mentions.py): how the value was written
    _rule("number.numeral", "value", "A value written in digits.", "It cuts latency by 35%."),
    _rule(
        "number.magnitude",
        "value",
        "'an order of magnitude' and its multiples, as a ratio.",
        "Our method is an order of magnitude faster than the baseline.",
    ),
    _rule(
        "number.fold",
        "value",
        "A fold word: 'doubles', 'triples', 'threefold'.",
        "The cache doubles the throughput of the server.",
    ),
    _rule(
        "number.half",
        "value",
        "'halves' or 'half': a ratio that decreases the metric.",
        "The new allocator halves the memory footprint.",
    ),
    _rule(
        "number.cardinal",
        "value",
        "A value written as a word: 'three times'.",
        "It is three times faster than the baseline.",
    ),
    _rule(
        "number.latex",
        "value",
        "LaTeX math is read as plain text: '$2.31\\times$' is 2.31x, '$<$600M' is no money.",
        "TIE reduces the per-token latency by $2.31\\times$ over vLLM.",
    ),
    _rule(
        "number.scientific",
        "value",
        "Scientific notation ('1.2 x 10^5', '5\\times 10^{19}') is one value.",
        "The index serves 1.2 x 10^5 queries per second.",
    ),
    _rule(
        "number.compound-unit",
        "unit",
        "A compound unit ('TFLOPs/s', 'W/m2', 'mW m-2', '%/a') has one spelling (numbers.py).",
        "The kernel reaches up to 740 TFLOPs/s on an H100.",
    ),
    _rule(
        "number.count-rate",
        "value",
        "A count rate with a multiplier word folds it into the value and keeps the rate unit.",
        "The store sustains 14 million key-value operations per second.",
    ),
    _rule(
        "number.magnitude-range",
        "value",
        "'two to three orders of magnitude' is a range, 100-1000.",
        "The filter is two to three orders of magnitude faster than the detector.",
    ),
    _rule(
        "number.factor-word",
        "value",
        "'a factor of (up to) three': a number word after 'factor of' is a ratio.",
        "The index beats a B+Tree by a factor of up to three in search time.",
    ),
    _rule(
        "number.plus-minus",
        "value",
        "'A ± B' ('+/-', '$\\pm$', a unit after either part) is the value A.",
        "FooNet reaches 97.2 ± 0.3% top-1 accuracy on ImageNet.",
    ),
    _rule(
        "number.shared-unit",
        "unit",
        "List members before the one unit written all have it ('1050 and 1170 s').",
        "The two jobs finish in 1050 and 1170 s.",
    ),
    _rule(
        "number.range-from-to",
        "value",
        "'ranging from A to B', and 'from Ax to Bx' of factors, is the range A-B.",
        "With FooServe, latency ranges from 30 to 130 ms.",
        "FooServe achieves a speed-up varying from 1.5x up to 6.5x over Bar.",
    ),
    _rule(
        "number.bounded-range",
        "value",
        "'at least A and up to B' is the range A-B.",
        "FooServe outperforms Bar by at least 4x and up to two orders of magnitude.",
    ),
    # -- roles (setup_filter.py): result, setup or condition, in the order tried
    _rule(
        "setup.name-part",
        "role",
        "A number inside a name, glued to a word or in a URL is not a value ('GPT-4', 'A100').",
        "We run GPT-4 on an A100 and reduce latency by 20%.",
    ),
    _rule(
        "setup.assignment",
        "role",
        "A variable set to a value ('k = 8', 'T>1') is a hyper-parameter.",
        "With k = 8 the method reduces latency by 20%.",
    ),
    _rule(
        "condition.hyphen-quantity",
        "condition",
        "A hyphenated quantity with a unit configures the run ('a 1-second window').",
        "With a 1-second window, latency drops by 40%.",
    ),
    _rule(
        "setup.hyphen-adjective",
        "role",
        "A numeral used as an adjective without a unit ('16-bit', '4-layer') is setup.",
        "We quantise to 16-bit weights and cut memory by 40%.",
    ),
    _rule(
        "result.hyphen-change",
        "role",
        "A hyphenated quantity followed by a change word is a result.",
        "We observe a 4.2-point BLEU improvement over the baseline.",
    ),
    _rule(
        "setup.operation-count",
        "role",
        "A model's operation count ('0.3 GFLOPs') is setup, like its parameter count.",
        "The model needs only 0.3 GFLOPs and reaches 76% accuracy.",
    ),
    _rule(
        "setup.scaled-count",
        "role",
        "A count with a multiplier that is not a rate ('8B parameters') is setup.",
        "We train an 8B parameter model and reduce latency by 20%.",
    ),
    _rule(
        "condition.baseline-level-of",
        "role",
        "'compared to <named baseline> <metric> of N': N is that baseline's level, a condition.",
        "Our model reaches 42.1 perplexity compared to SOTA perplexity of 47.5.",
        "FooDB serves a lookup in 3 ms, compared to the PostgreSQL latency of 11 ms.",
    ),
    _rule(
        "result.unitless",
        "role",
        "A bare number is a result as a factor, next to a score word ('F1 of 0.92'), or as a"
        " factor whose 'x' the page dropped ('a speedup of up to 2.73', 'time by up to 2.2').",
        "The model reaches an F1 of 0.92 on SQuAD.",
        "It improves throughput by a factor of 2.5.",
        "FooTrain achieves a speedup of up to 2.73 over Bar.",
    ),
    _rule(
        "setup.bare-number",
        "role",
        "A bare number that is neither a factor nor a score is setup ('16 adapters').",
        "We combine 16 adapters and reduce latency by 20%.",
    ),
    _rule(
        "setup.points-level",
        "role",
        "Points are a claim only as a difference, never as a level.",
        "The model earns one point on each task.",
    ),
    _rule(
        "setup.repetition-or-constant",
        "role",
        "'washed five times', '15,000 x g': a count of repetitions or a constant, not a ratio.",
        "The cells were washed five times and latency drops by 20%.",
    ),
    _rule(
        "setup.fold-adjective",
        "role",
        "A fold word as an adjective ('double buffering') names a technique.",
        "With double buffering, latency drops by 20%.",
    ),
    _rule(
        "setup.ratio-word-no-metric",
        "role",
        "A fold word with no metric nearby is a setting ('doubling the batch').",
        "We double the batch each epoch.",
    ),
    _rule(
        "setup.data-amount",
        "role",
        "A duration of data ('10,000 hours of audio') is a data set size.",
        "We train on 10,000 hours of audio and cut the error rate by 12%.",
    ),
    _rule(
        "condition.run-duration",
        "condition",
        "'for 3 days' after a run verb: how long it ran, not a result.",
        "We train the model for 3 days and it reaches 81% accuracy.",
    ),
    _rule(
        "setup.hardware-spec",
        "role",
        "A device count or memory size of hardware ('8x A100', '24 GB GPU') is setup.",
        "On a single 24 GB GPU our system reduces latency by 30%.",
        "On an RTX 3090 GPU with 24GB memory our system reduces latency by 30%.",
    ),
    _rule(
        "setup.motivation-share",
        "role",
        "A share before the paper says what it does ('Over 70% of requests ...') is motivation.",
        "Over 70% of user requests are short. We propose FooServe, which cuts latency by 2x.",
    ),
    _rule(
        "condition.extra-resource",
        "condition",
        "An extra resource the run is given ('with additional 512MB memory').",
        "With additional 512MB memory, throughput improves by 2x.",
    ),
    _rule(
        "result.share-within-threshold",
        "role",
        "The share meeting a time threshold is the result ('within 500 ms in 60% of turns').",
        "The agent answers within 500 ms in more than 60% of turns.",
    ),
    _rule(
        "condition.data-share",
        "condition",
        "A share of the data or model used ('using only 10% of the training data').",
        "Using only 10% of the training data, the model reaches 90% accuracy.",
    ),
    _rule(
        "condition.kept-share",
        "condition",
        "A share the method keeps before its noun ('keeping only 2% salient channels').",
        "Keeping only 2% salient channels, it reduces memory by 40%.",
    ),
    _rule(
        "condition.requirement",
        "condition",
        "A level the result is held to ('while meeting SLOs for 99% of requests').",
        "It improves throughput by 2x while meeting the SLO for 99% of requests.",
    ),
    _rule(
        "condition.baseline-own-value",
        "condition",
        "A baseline's own value in brackets after its name ('over WiFi-6 (12.5 ms)').",
        "It reaches 15.6x lower latency compared to WiFi-6 (12.5 ms).",
    ),
    _rule(
        "condition.baseline-bracket-value",
        "role",
        "A value opening brackets after 'vs.', 'compared to' ... is the baseline's own "
        "(comparisons.txt [bracket_value_before]).",
        "FooServe reaches a median latency of 4 ms (vs. 12 ms for vLLM).",
        "FooDB answers a query in 3.1 ms (compared to 9.8 ms with PostgreSQL).",
    ),
    _rule(
        "condition.baseline-value",
        "condition",
        "A value right after 'instead of', 'down from', 'compared to' is the baseline's.",
        "Training takes 7.5 minutes instead of 2 hours.",
    ),
    _rule(
        "condition.prior-best",
        "condition",
        "'the previous best of 52%' is the baseline's level.",
        "We reach 61% accuracy, surpassing the previous best of 52%.",
    ),
    _rule(
        "condition.threshold-of-share",
        "condition",
        "The time a share is within ('95% of queries within 100 ms').",
        "The system answers 95% of queries within 100 ms.",
    ),
    _rule(
        "condition.configured",
        "condition",
        "A quantity configuring the setup ('with a 25 MB cache', 'at 100 MB', 'a 5 ms timeout').",
        "With a 25 MB cache, throughput improves by 2x.",
    ),
    _rule(
        "result.plain",
        "role",
        "A number with a unit that no setup or condition rule claims is a result.",
        "It cuts latency by 35%.",
    ),
    _rule(
        "condition.baseline-value-list",
        "condition",
        "A baseline value list goes on: 'compared to 60 ms for Cubic and 20 ms for BBR'.",
        "Latency is 5 ms compared to 60 ms for Cubic and 20 ms for BBR.",
    ),
    _rule(
        "condition.from-level",
        "condition",
        "'from A to B': B is the level, 'from A' the condition.",
        "Accuracy rises from 70% to 85%.",
    ),
    _rule(
        "condition.plus-minus",
        "condition",
        "The '± B' of 'A ± B' is the condition of the claim for A.",
        "FooServe serves each request in 12 ms +/- 3 ms.",
    ),
    _rule(
        "condition.on-average",
        "condition",
        "'on average' after a result.",
        "It reduces latency by 30% on average.",
    ),
    # -- category (fields.py): from the metric words nearest the number
    _rule(
        "category.metric-word",
        "category",
        "A metric word next to the number or leading to it ('52% lower latency').",
        "It cuts latency by 35%.",
    ),
    _rule(
        "category.earlier-metric",
        "category",
        "Else the nearest metric word earlier in the sentence.",
        "Latency is the target; in our tests the new approach is 3x better than vLLM.",
    ),
    _rule(
        "category.unit",
        "category",
        "Else the unit's category ('saves 12 ms' is latency).",
        "The new approach saves 12 ms.",
    ),
    _rule(
        "category.speed-word",
        "category",
        "A speed word ('faster', 'speedup') makes the claim a speedup.",
        "It is 2.5x faster than vLLM.",
    ),
    _rule(
        "category.share",
        "category",
        "'N% of ...' with no metric of its own is a share (other).",
        "The scheduler serves 56.9% of the tool calls.",
    ),
    _rule(
        "category.list-member",
        "category",
        "A list member takes the metric of the one before ('25%, 21%, and 33%').",
        "It reduces latency by 25%, 21%, and 33%.",
    ),
    _rule(
        "category.next-list-member",
        "category",
        "A list member with no metric takes the next one's ('1GB and 8GB of memory').",
        "It needs 2x and 3x less memory.",
    ),
    _rule(
        "category.restated-change",
        "category",
        "'from 3.2 s to 1.1 s (a 65% reduction)': the change is the same result restated.",
        "Latency falls from 3.2 s to 1.1 s (a 65% reduction).",
    ),
    _rule(
        "category.size-change",
        "category",
        "'8.4x smaller' with no metric named is a size change (memory).",
        "The model is 8.4x smaller.",
    ),
    _rule(
        "category.cost-change",
        "category",
        "'9x cheaper' with no metric named is a cost change.",
        "It enables 9x cheaper inference.",
    ),
    _rule(
        "category.share-of-peak",
        "category",
        "A share of peak performance is throughput.",
        "The kernel reaches 75% of peak performance on the GPU.",
    ),
    _rule(
        "category.previous-result",
        "category",
        "A unitless result without a metric takes the previous result's.",
        "It consumes 0.39 J per token, 3.2x less than a V100.",
    ),
    _rule(
        "category.benchmark-score",
        "category",
        "A guessed level 'on <Benchmark>' is an accuracy score ('86.4% on MMLU').",
        "Our model achieves 86.4% on MMLU.",
    ),
    _rule(
        "category.bare-ratio-speed",
        "category",
        "A ratio with no metric anywhere ('outperforms vLLM by 2.1x') means speed.",
        "FooServe outperforms vLLM by 2.1x.",
    ),
    _rule(
        "category.absolute-unit",
        "category",
        "An absolute level's unit decides its category ('reaches 120 GB/s' is bandwidth).",
        "Our accelerator delivers 120 GB/s on the benchmark.",
    ),
    # -- kind and unit (fields.py)
    _rule("kind.ratio", "kind", "A factor ('2.5x', 'doubles') is a ratio.", "It is 2.5x faster."),
    _rule(
        "kind.points",
        "kind",
        "Points are a delta in pp.",
        "Accuracy improves by 3 percentage points.",
    ),
    _rule(
        "kind.signed-percent",
        "kind",
        "A signed percentage ('+5.5%') is a delta in points.",
        "Our model gains +5.5% accuracy.",
    ),
    _rule(
        "kind.percent-level",
        "kind",
        "A percentage with no change word is a level.",
        "The model reaches 93.1% accuracy on ImageNet.",
    ),
    _rule(
        "kind.accuracy-points",
        "kind",
        "A change of a percentage accuracy metric is in points ('11.1% higher accuracy').",
        "It achieves 11.1% higher accuracy than the baseline.",
    ),
    _rule(
        "kind.percent-change",
        "kind",
        "A percentage with a change word is a relative change.",
        "It cuts latency by 35%.",
    ),
    _rule(
        "kind.points-of-level",
        "kind",
        "A change after a percentage accuracy level is in points.",
        "It reaches 78.4% accuracy on ImageNet, 1.2% higher than ResNet.",
    ),
    _rule(
        "kind.bare-ratio",
        "kind",
        "A bare number with a comparative or 'a factor of' is a ratio.",
        "It improves throughput by a factor of 2.5.",
    ),
    _rule(
        "kind.bare-percent-score",
        "kind",
        "An error rate written bare is a percentage ('2.9/6.1 WER').",
        "The recogniser reaches 2.9/6.1 WER on LibriSpeech.",
    ),
    _rule(
        "kind.score-level",
        "kind",
        "A unitless score with no change word is a level.",
        "The model reaches an F1 of 0.92 on SQuAD.",
    ),
    _rule(
        "kind.score-change",
        "kind",
        "A unitless score with a change word is a delta.",
        "It achieves 0.7 better perplexity than the baseline.",
    ),
    _rule(
        "kind.unit-level",
        "kind",
        "A value with a unit and no change word is a level.",
        "Our system finishes in 12 ms.",
    ),
    _rule(
        "kind.unit-change",
        "kind",
        "A value with a unit and a change word is a delta in that unit.",
        "It reduces latency by 12 ms.",
    ),
    _rule(
        "bound.shared-modifier",
        "bound",
        "One bound before a list covers its members ('up to 29x, 29x, and 3x').",
        "It achieves up to 29x, 25x, and 3x speedups.",
    ),
    # -- baselines and names
    _rule(
        "baseline.named-factor",
        "baselines",
        "'N times the <metric> of X' names its own baseline X.",
        "It reaches 1.5 times the sample efficiency of PPO.",
    ),
    _rule(
        "baseline.respectively",
        "baselines",
        "'A, B and C ..., respectively': one baseline per value, by position.",
        "Foo outperforms Alpha, Beta, and Gamma by 1.5x, 2.0x, and 3.1x, respectively.",
    ),
    _rule(
        "baseline.by-position",
        "baselines",
        "'over A, B, and C by x, y, and z': a value list right after a name list pairs by "
        "position.",
        "FooServe improves throughput over Alpha, Beta, and Gamma by up to 17x, 9x, and 2x.",
    ),
    _rule(
        "baseline.superlative",
        "baselines",
        "A superlative keeps the whole described baseline: 'the best existing ConvNet'.",
        "Our model is 2.1x faster than the best existing ConvNet.",
    ),
    _rule(
        "baseline.frame-skip",
        "baselines",
        "Words between a comparison phrase and its baseline are skipped ('than that achieved "
        "by X', 'compared to using X alone'; comparisons.txt [skip]).",
        "Our accuracy is 5% higher than that achieved by BarNet-L.",
        "It reduces latency by 30% compared to using Alpha alone.",
    ),
    _rule(
        "baseline.equal-level",
        "baselines",
        "'the same <metric> as X', 'comparable <metric> to X', 'on par with X' compare with X "
        "(comparisons.txt [equal_level]).",
        "FooNet reaches the same accuracy as ResNet-50 with 4x fewer parameters.",
        "FooLM achieves 76.1% accuracy, on par with ResNet-50.",
    ),
    _rule(
        "baseline.list-header",
        "baselines",
        "A generic header before a colon is replaced by the names listed after it.",
        "FooServe is up to 3x faster than existing baselines: Alpha, Beta and Gamma.",
    ),
    _rule(
        "baseline.header-covers",
        "baselines",
        "A comparison ending at a colon covers every result listed after it.",
        "FooIdx outcompetes the second-best alternatives: (1) by up to 20x in throughput, "
        "and (2) by 5.8x with 1.4x less memory.",
    ),
    _rule(
        "baseline.bracketed-names",
        "baselines",
        "Names in brackets after a generic phrase replace it; an acronym of the words before "
        "it ('loosely-coupled (LC) systems') is part of the phrase.",
        "Compared to the state-of-the-art (NCCL), FooComm achieves 8x faster synchronization.",
    ),
    _rule(
        "baseline.shared-head",
        "baselines",
        "Described parts joined by 'and' that share the last one's head noun are one baseline.",
        "FooSearch is 6x more efficient than existing sharding and routing strategies.",
    ),
    _rule(
        "baseline.name-head",
        "baselines",
        "A singular noun after a name only says what it is: 'the open-source X implementation' "
        "is X (comparisons.txt [name_heads]).",
        "FooDet improves precision by 30% over the open-source BarNet-416 implementation.",
    ),
    _rule(
        "baseline.cited",
        "baselines",
        "A citation closes a described baseline: 'the learned index from Smith et al.'.",
        "FooIdx beats the learned index from Smith et al. by up to 2.2x on lookups.",
    ),
    _rule(
        "baseline.place-tail",
        "baselines",
        "A described baseline keeps an 'in the <noun>' tail or a short 'that' clause that ends "
        "its clause ('a baseline that interrupts without thinking').",
        "FooSched raises throughput by 20% compared to traditional checkpoint solutions in "
        "the industry.",
    ),
    _rule(
        "baseline.comparison",
        "baselines",
        "The names after a comparison phrase ('than vLLM', 'compared to Orca') belong to the "
        "result right before it; to a level only within its clause.",
        "It is 2.5x faster than vLLM.",
        "FooLM reaches 78.2% accuracy, higher than BarLM.",
    ),
    _rule(
        "baseline.closing",
        "baselines",
        "A comparison ending the sentence covers its earlier changes, not its levels; also "
        "across ', while <verb>ing' (the same subject goes on) unless it is a 'than X'.",
        "FooServe reaches 2x higher throughput and 30% lower latency, compared to vLLM.",
        "FooServe serves 3x more requests, while keeping 2x lower latency compared to vLLM.",
    ),
    _rule(
        "baseline.closing-share",
        "baselines",
        "A ', compared to X' ending the sentence also covers its shares ('N% of <resource>').",
        "FooDet uses only 45% of the GPU memory and 60% of the power, compared to BarDet.",
    ),
    _rule(
        "baseline.opening",
        "baselines",
        "'Compared to X, ...' before any result covers the results of its clause.",
        "Compared to Orca, FooServe cuts latency by 35% and memory by 2x.",
    ),
    _rule(
        "baseline.verb",
        "baselines",
        "'outperforms X by a, b, and c': the verb's object is the baseline of the list after it.",
        "FooServe outperforms Orca by 2.1x.",
        "FooKit outperforms the strongest baselines by 10-40% on A, 8x on B, and 14x on C.",
    ),
    _rule(
        "baseline.verb-after",
        "baselines",
        "', surpassing X' with no result after it compares the result before it.",
        "FooNet reaches 91.2% accuracy, surpassing all prior methods.",
    ),
    _rule(
        "baseline.carried",
        "baselines",
        "A change with no comparison of its own takes the nearest earlier one; across "
        "', while' only a bare comparative does ('while being 1.2x faster').",
        "FooNet is 3% more accurate than BarNet, while being 1.2x faster.",
    ),
    _rule(
        "baseline.own-figure",
        "baselines",
        "'(vs. 12 ms for vLLM)', 'compared to 60 ms for Cubic and 20 ms for BBR': the figure "
        "after the cue is the baseline's (a condition), the names after it the baselines.",
        "FooServe reaches a median latency of 4 ms (vs. 12 ms for vLLM).",
        "FooTCP cuts the tail latency to 9 ms, compared to 60 ms for Cubic and 20 ms for BBR.",
    ),
    _rule(
        "baseline.own-level",
        "baselines",
        "'compared to SOTA perplexity of 47.5': the baseline is the name, without its metric "
        "and level.",
        "Our model reaches 42.1 perplexity compared to SOTA perplexity of 47.5.",
        "FooDB serves a lookup in 3 ms, compared to the PostgreSQL latency of 11 ms.",
    ),
    _rule(
        "baseline.evaluation",
        "baselines",
        "'we compare it with X', 'benchmark A against X' (comparisons.txt [frame_compare], "
        "[frame_against]): X is the baseline of the results reported after it.",
        "We compare FooDB with PostgreSQL, and the results show that FooDB cuts latency by 3x.",
        "We benchmark FooKV against RocksDB on three workloads, where FooKV is 2.5x faster.",
    ),
    _rule(
        "baseline.evaluation-frame",
        "baselines",
        "A sentence that only sets up a comparison ('comparing it with X') gives X to the "
        "changes of the next sentence when that one compares nothing.",
        "We run FooAcc on NPUs, comparing it with the default compiler. It shows a 4.2x speedup.",
        "We evaluate FooIdx against HNSW and IVF. Search latency drops by 35% on average.",
    ),
    _rule(
        "baseline.previous-sentence",
        "baselines",
        "Changes in a sentence that compares nothing take the one baseline all changes of "
        "the sentence before shared, when they are about the same system.",
        "Compared to PyTorch, FooTrain cuts training time by 30%. FooTrain also needs 2.1x "
        "less memory.",
        "FooNet is 2x faster than BarNet on GPUs. On CPUs, FooNet is 3.5x faster.",
    ),
    _rule(
        "system.subject",
        "system",
        "The name that is the subject of the result's clause.",
        "FooServe reduces latency by 2x.",
    ),
    _rule(
        "system.paper",
        "system",
        "Else the paper's own system (the title's or the introduced name), if any.",
        "It cuts latency by 35%.",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
