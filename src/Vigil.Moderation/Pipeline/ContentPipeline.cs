using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Core.Content;
using Vigil.Core.Signals;

namespace Vigil.Moderation.Pipeline;

/// <summary>Where the pipeline gets the hash banks to match against: the banks as they are now (the service rebuilds its
/// matcher after every change), or a snapshot loaded once (a CLI run).</summary>
public interface IBankMatcherSource
{
    ValueTask<BankMatcher> CurrentAsync(CancellationToken cancellationToken);
}

/// <summary>A fixed matcher (none, or one loaded once).</summary>
public sealed class FixedBankMatcher(BankMatcher matcher) : IBankMatcherSource
{
    /// <summary>No banks.</summary>
    public static FixedBankMatcher None { get; } = new(BankMatcher.Empty);

    public ValueTask<BankMatcher> CurrentAsync(CancellationToken cancellationToken) => ValueTask.FromResult(matcher);
}

/// <summary>What the pipeline made of one part of an item.</summary>
/// <param name="Part">The part (for derived parts, what the detector made).</param>
/// <param name="Unreadable">Why the part could not be read, or null.</param>
/// <param name="Hashes">Its hashes, of every registered signal type of its type that a bank uses.</param>
/// <param name="Banks">What its hashes matched.</param>
/// <param name="Problems">What the operator should know (e.g. OCR failed on it).</param>
public sealed record PartResult(ContentPart Part, string? Unreadable, IReadOnlyList<ContentHash> Hashes, BankMatchResult Banks, IReadOnlyList<string> Problems);

/// <summary>The pipeline's conclusion on one content item.</summary>
/// <param name="Assessment">Every part's signals, fused: the highest score per category; the context and language of
/// the first text part assessed (the submitted text, else text derived from another part).</param>
/// <param name="Outcome">The policy's verdict and action.</param>
/// <param name="Parts">Each part, submitted and derived, in the order assessed.</param>
public sealed record PipelineResult(Assessment Assessment, PolicyOutcome Outcome, IReadOnlyList<PartResult> Parts)
{
    public Verdict Verdict => Outcome.Verdict;

    /// <summary>Every part's problems.</summary>
    public IEnumerable<string> Problems => Parts.SelectMany(p => p.Problems);
}

/// <summary>
/// The one place where content becomes a verdict, for every caller (the API, the review UI, <c>vigil scan</c>,
/// <c>vigil eval</c>, workers). For each content item, a list of parts:
/// <list type="number">
/// <item>readers prepare each part (decode an image); a part that cannot be read gets a <c>media.unreadable</c> signal
/// naming the reason, and the rest of the item is still assessed;</item>
/// <item>every registered signal type that hashes the part's type, and that some bank has entries of, hashes it (MD5 and
/// SHA-256 even when the image does not decode), and the hashes are matched against the banks (allow-lists suppress
/// other matches of the same part); types no bank uses cost nothing;</item>
/// <item>the detectors of the part's type assess it; parts they derive (text read from an image) go through the same
/// steps, with evidence offsets into the derived text;</item>
/// <item>the signals are fused (highest score per category) and the policy decides the verdict and the action.</item>
/// </list>
/// Items are processed in batches: detectors see all the parts of their type in a batch at once. A <see cref="WorkGate"/>
/// for reads bounds how many parts are read (images decoded) at once across every caller; past its wait the item is not
/// assessed (<see cref="BusyException"/>). Thread-safe.
/// </summary>
public sealed class ContentPipeline
{
    private const int MaxDerivedDepth = 2;
    private readonly ContentHasher _hasher;
    private readonly IReadOnlyList<IContentDetector> _detectors;
    private readonly IBankMatcherSource _banks;
    private readonly WorkGate? _reads;

    /// <param name="types">The signal types that hash parts.</param>
    /// <param name="readers">The readers that prepare parts (decode images).</param>
    /// <param name="detectors">The detectors.</param>
    /// <param name="banks">The hash banks to match against.</param>
    /// <param name="policy">The policy that decides.</param>
    /// <param name="reads">Bounds how many parts with a reader are read at once (image decodes); null: no bound.</param>
    public ContentPipeline(SignalTypeRegistry types, IEnumerable<IPartReader> readers, IEnumerable<IContentDetector> detectors, IBankMatcherSource banks, Policy policy, WorkGate? reads = null)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(readers);
        ArgumentNullException.ThrowIfNull(detectors);
        _hasher = new ContentHasher(types, readers);
        _detectors = [.. detectors];
        _banks = banks ?? throw new ArgumentNullException(nameof(banks));
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _reads = reads;
    }

    /// <summary>The policy that decides.</summary>
    public Policy Policy { get; }

    /// <summary>The signal types that hash parts.</summary>
    public SignalTypeRegistry SignalTypes => _hasher.SignalTypes;

    /// <summary>Assesses one item.</summary>
    public async Task<PipelineResult> AssessAsync(IReadOnlyList<ContentPart> parts, CancellationToken cancellationToken = default) =>
        (await AssessBatchAsync([parts], new ParallelOptions { MaxDegreeOfParallelism = 1, CancellationToken = cancellationToken }))[0];

    /// <summary>Assesses items together, in order: the detectors see every part of their type in the batch at once.</summary>
    public async Task<IReadOnlyList<PipelineResult>> AssessBatchAsync(IReadOnlyList<IReadOnlyList<ContentPart>> items, ParallelOptions parallel)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(parallel);
        var matcher = await _banks.CurrentAsync(parallel.CancellationToken);
        var inUse = matcher.SignalTypes.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var states = new ItemState[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            states[i] = new ItemState();
        }

        // Round 0: the submitted parts; each further round: the parts the detectors derived in the one before.
        var round = new List<(int Item, PartView View, PartState State)>();
        for (int i = 0; i < items.Count; i++)
        {
            foreach (var part in items[i])
            {
                var state = new PartState(new PartView(part));
                states[i].Parts.Add(state);
                round.Add((i, state.View, state));
            }
        }

        for (int depth = 0; round.Count > 0 && depth <= MaxDerivedDepth; depth++)
        {
            var current = round;
            if (_reads is null || !current.Any(p => _hasher.HasReader(p.View.Part.Type)))
            {
                Parallel.For(0, current.Count, parallel, k => Prepare(current[k].State, matcher, inUse));
            }
            else
            {
                await Parallel.ForAsync(0, current.Count, parallel, async (k, ct) =>
                {
                    using var slot = _hasher.HasReader(current[k].View.Part.Type) ? await _reads.EnterAsync(ct) : null;
                    Prepare(current[k].State, matcher, inUse);
                });
            }

            round = [];
            foreach (var detector in _detectors)
            {
                var mine = current.Where(p => detector.PartTypes.Contains(p.View.Part.Type, StringComparer.Ordinal)).ToList();
                if (mine.Count == 0)
                {
                    continue;
                }

                var results = await detector.DetectAsync([.. mine.Select(p => p.View)], parallel);
                for (int k = 0; k < mine.Count; k++)
                {
                    var (item, _, state) = mine[k];
                    var result = results[k];
                    state.Results.Add(result);
                    if (result.Problem is { } problem)
                    {
                        state.Problems.Add(problem);
                    }

                    foreach (var derived in depth < MaxDerivedDepth ? result.Derived ?? [] : [])
                    {
                        var child = new PartState(new PartView(derived));
                        states[item].Parts.Add(child);
                        round.Add((item, child.View, child));
                    }
                }
            }
        }

        var outcomes = new PipelineResult[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            var assessment = Fuse(states[i].Parts);
            outcomes[i] = new PipelineResult(assessment, Policy.Apply(assessment), [.. states[i].Parts.Select(p => p.ToResult())]);
        }

        return outcomes;
    }

    /// <summary>Reads the part, hashes it with the signal types of its type that the banks use, and matches the hashes.</summary>
    private void Prepare(PartState state, BankMatcher matcher, IReadOnlySet<string> inUse)
    {
        state.Hashes.AddRange(_hasher.Hash(state.View, inUse));
        state.Banks = state.Hashes.Count == 0 ? BankMatchResult.None : matcher.Match(state.Hashes);
    }

    /// <summary>The highest score per category over the parts' detectors and bank matches; the first text part's context
    /// and language; every signal, part by part: unreadable, bank matches, then what the detectors found.</summary>
    private static Assessment Fuse(List<PartState> parts)
    {
        // One text part, nothing matched, one detector's assessment: that assessment is the content's (no copy).
        if (parts is [{ View.Unreadable: null, Banks.Any: false, Results: [{ Assessment: { } only, Signals: null or [] }] }])
        {
            return only;
        }

        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var signals = new List<Signal>();
        Assessment? first = null;
        foreach (var part in parts)
        {
            if (part.View.Unreadable is { } reason)
            {
                var name = part.View.Part.Name ?? part.View.Part.Id;
                signals.Add(new Signal(SignalKinds.Unreadable, part.View.Part.Type, 1,
                    [new Evidence(0, 0, SignalKinds.Unreadable, $"{part.View.Part.Type} '{name}' could not be analysed: {reason}")]));
            }

            var text = part.View.Part.Text;
            if (part.Banks.Any)
            {
                signals.AddRange(BankScoring.Signals(part.Banks, text is null ? default : (0, text.Length)));
            }

            foreach (var (category, score) in BankScoring.Scores(part.Banks))
            {
                scores[category] = Math.Max(scores.GetValueOrDefault(category), score);
            }

            foreach (var result in part.Results)
            {
                signals.AddRange(result.Signals ?? []);
                if (result.Assessment is { } assessment)
                {
                    first ??= assessment;
                    signals.AddRange(assessment.Signals);
                    foreach (var (category, score) in assessment.Scores)
                    {
                        scores[category] = Math.Max(scores.GetValueOrDefault(category), score);
                    }
                }
            }
        }

        return new Assessment(scores, first?.Context ?? ContentContext.None, first?.Language, signals);
    }

    private sealed class ItemState
    {
        public List<PartState> Parts { get; } = [];
    }

    private sealed class PartState(PartView view)
    {
        public PartView View { get; } = view;

        public List<ContentHash> Hashes { get; } = new(0);

        public BankMatchResult Banks { get; set; } = BankMatchResult.None;

        public List<DetectorResult> Results { get; } = new(1);

        public List<string> Problems { get; } = new(0);

        public PartResult ToResult() => new(View.Part, View.Unreadable, Hashes, Banks, Problems);
    }
}
