using Vigil.Core;
using Vigil.Text.Classification;
using Vigil.Text.Context;
using Vigil.Text.Embeddings;
using Vigil.Text.Language;
using Vigil.Text.Lexicon;
using Vigil.Text.Normalization;

namespace Vigil.Text;

/// <summary>When the classifier's embedding stage runs. In every mode, posts whose letters are mostly in a script the
/// English MiniLM model cannot read (Arabic) are scored by the n-gram model alone (<see cref="SentenceEncoder.Reads"/>).</summary>
public enum EmbeddingMode
{
    /// <summary>Never: the n-gram model alone (fastest).</summary>
    Off,

    /// <summary>Only for posts the n-gram model does not clear with confidence (default).</summary>
    Cascade,

    /// <summary>For every post (that the encoder reads).</summary>
    All,
}

/// <summary>Options of <see cref="TextAnalyzer"/>.</summary>
/// <param name="IdentifyLanguage">Run language identification.</param>
/// <param name="Embeddings">When to run the embedding stage (needs <c>model/text-embedding.bin</c> and the MiniLM model).</param>
/// <param name="EmbeddingThreads">ONNX Runtime threads per embedding.</param>
public sealed record TextAnalyzerOptions(bool IdentifyLanguage = true, EmbeddingMode Embeddings = EmbeddingMode.Cascade, int EmbeddingThreads = 1);

/// <summary>
/// Runs Vigil's text detectors on a post and fuses their signals into a score per category. The detectors are
/// independent: the lists matcher (designations and coded terms), the linear classifier, the context detector and
/// the language identifier each see the normalised text and emit signals; only the fusion step here combines
/// them. Thread-safe: one instance serves all threads.
/// </summary>
public sealed class TextAnalyzer
{
    private readonly PhraseMatcher _lists;
    private readonly LinearModel _model;
    private readonly ContextDetector _context = new();
    private readonly LanguageIdentifier? _language;
    private readonly int _terrorismHead;
    private readonly int _hateHead;
    private readonly int _newsHead;
    private readonly EmbeddingHeads? _embeddingHeads;
    private readonly int[] _stackedModelHeads = [];
    private readonly SentenceEncoder? _encoder;
    private readonly EmbeddingMode _embeddingMode;

    public TextAnalyzer(TextResources resources, TextAnalyzerOptions? options = null)
    {
        options ??= new TextAnalyzerOptions();
        _lists = new PhraseMatcher(resources.Entries);
        _model = resources.Model;
        _terrorismHead = _model.HeadIndex("terrorism");
        _hateHead = _model.HeadIndex("hate");
        _newsHead = _model.HeadIndex("news");
        _language = options.IdentifyLanguage ? new LanguageIdentifier() : null;
        if (resources.EmbeddingHeads is { } heads)
        {
            _embeddingHeads = heads;
            _stackedModelHeads = [.. heads.Heads.Select(_model.HeadIndex)];
            if (_stackedModelHeads.Contains(-1))
            {
                throw new InvalidDataException($"The embedding heads ({string.Join(", ", heads.Heads)}) do not match the text model's heads ({string.Join(", ", _model.Heads)}); run 'vigil train' again.");
            }

            if (options.Embeddings != EmbeddingMode.Off)
            {
                _encoder = SentenceEncoder.Load(options.EmbeddingThreads, tuned: resources.TunedEncoder);
                _embeddingMode = options.Embeddings;
            }
        }
    }

    /// <summary>Whether the embedding stage is in use.</summary>
    public EmbeddingMode EmbeddingMode => _encoder is null ? EmbeddingMode.Off : _embeddingMode;

    /// <summary>The policy to decide this analyzer's assessments with: <paramref name="policy"/> itself, or, when the
    /// embedding stage is off, with its thresholds for that (<see cref="Policy.WithoutEmbeddingStage"/>).</summary>
    public Policy PolicyFor(Policy policy) => EmbeddingMode == EmbeddingMode.Off ? policy.WithoutEmbeddingStage() : policy;

    /// <summary>How many distinct list forms the matcher holds.</summary>
    public int ListFormCount => _lists.FormCount;

    public Assessment Assess(string text)
    {
        var stage = Prepare(text);
        float[]? embedding = stage.NeedsEmbedding ? _encoder!.Encode(stage.Normalized.Value) : null;
        return Finish(stage, embedding);
    }

    /// <summary>
    /// Assesses many posts at once, in input order: the fast detectors run in parallel, then the embedding stage runs
    /// once for all posts that need it, in length-sorted batches (much faster than one post at a time).
    /// </summary>
    public IReadOnlyList<Assessment> AssessBatch(IReadOnlyList<string> texts, ParallelOptions? parallel = null)
    {
        parallel ??= new ParallelOptions();
        var stages = new Stage[texts.Count];
        Parallel.For(0, texts.Count, parallel, i => stages[i] = Prepare(texts[i]));
        var embeddings = new float[texts.Count][];
        var needed = Enumerable.Range(0, texts.Count).Where(i => stages[i].NeedsEmbedding).ToList();
        if (needed.Count > 0)
        {
            var vectors = _encoder!.Encode([.. needed.Select(i => stages[i].Normalized.Value)], parallel.CancellationToken);
            for (int k = 0; k < needed.Count; k++)
            {
                embeddings[needed[k]] = vectors[k];
            }
        }

        var assessments = new Assessment[texts.Count];
        Parallel.For(0, texts.Count, parallel, i => assessments[i] = Finish(stages[i], embeddings[i]));
        return assessments;
    }

    /// <summary>What the detectors found before the embedding stage.</summary>
    private sealed record Stage(string Text, NormalizedText Normalized, IReadOnlyList<LexiconMatch> Matches, float[] Logits, bool NeedsEmbedding);

    private Stage Prepare(string text)
    {
        var normalized = TextNormalizer.Normalize(text);
        var matches = _lists.Match(normalized);
        var logits = new float[_model.Heads.Count];
        _model.PredictLogits(normalized.Value, logits);
        Span<float> probabilities = stackalloc float[logits.Length];
        for (int h = 0; h < logits.Length; h++)
        {
            probabilities[h] = LinearModel.Sigmoid(logits[h]);
        }

        return new Stage(text, normalized, matches, logits, _encoder is not null && NeedsEmbedding(probabilities) && SentenceEncoder.Reads(normalized.Value));
    }

    private Assessment Finish(Stage stage, float[]? embedding)
    {
        var signals = new List<Signal>(8);

        // Lists: designations and coded terms.
        foreach (var match in stage.Matches)
        {
            signals.Add(ListSignal(match));
        }

        // Classifier: the n-gram model, combined with the embedding stage when it ran.
        Span<float> probabilities = stackalloc float[stage.Logits.Length];
        for (int h = 0; h < probabilities.Length; h++)
        {
            probabilities[h] = LinearModel.Sigmoid(stage.Logits[h]);
        }

        if (_embeddingHeads is not null)
        {
            // With the embedding: the stacked probability; without (cascade skipped it, or the stage is off): the
            // combiner's fallback, on the same scale as the policy's thresholds.
            for (int s = 0; s < _stackedModelHeads.Length; s++)
            {
                int h = _stackedModelHeads[s];
                probabilities[h] = embedding is not null
                    ? _embeddingHeads.Combine(s, stage.Logits[h], embedding)
                    : _embeddingHeads.Fallback(s, stage.Logits[h]);
            }
        }

        double terrorism = _terrorismHead >= 0 ? probabilities[_terrorismHead] : 0;
        double hate = _hateHead >= 0 ? probabilities[_hateHead] : 0;
        double news = _newsHead >= 0 ? probabilities[_newsHead] : 0;
        signals.Add(new Signal(SignalKinds.Classifier, "terrorism", terrorism, []));
        signals.Add(new Signal(SignalKinds.Classifier, Taxonomy.Hate.Id, hate, []));

        // Context and language.
        var context = _context.Detect(stage.Normalized, news);
        signals.Add(new Signal(SignalKinds.Context, context.Context.ToWire(), context.Score, context.Evidence));
        string? language = _language?.Identify(stage.Text);
        if (language is not null)
        {
            signals.Add(new Signal(SignalKinds.Language, language, 1, []));
        }

        var scores = ScoreFusion.Fuse(terrorism, hate, stage.Matches);
        return new Assessment(scores, context.Context, language, signals);
    }

    private bool NeedsEmbedding(ReadOnlySpan<float> probabilities)
    {
        if (_embeddingMode == EmbeddingMode.All)
        {
            return true;
        }

        var heads = _embeddingHeads!.All;
        for (int s = 0; s < heads.Count; s++)
        {
            if (probabilities[_stackedModelHeads[s]] >= heads[s].Screen)
            {
                return true;
            }
        }

        return false;
    }

    private static Signal ListSignal(LexiconMatch match)
    {
        var first = match.Entries[0];
        bool designation = first.IsDesignation;
        string detail = designation
            ? string.Join("; ", match.Entries.Select(e => $"{e.Name} ({ListTitle(e.List)}{(e.Reference is null ? "" : " " + e.Reference)}{(e.ListedOn is null ? "" : ", listed " + e.ListedOn)})"))
            : $"{first.Name}: {first.Note ?? "coded term"} ({first.Strength.ToString().ToLowerInvariant()} {first.Category} cue)";
        double score = designation ? 1 : first.Strength == TermStrength.Strong ? 0.9 : 0.5;
        return new Signal(
            designation ? SignalKinds.Designation : SignalKinds.Lexicon,
            designation ? Taxonomy.TerrorismSupport.Id : first.Category,
            score,
            [new Evidence(match.Start, match.End, designation ? SignalKinds.Designation : SignalKinds.Lexicon, detail)]);
    }

    private static string ListTitle(string list) => list switch
    {
        "un-sc" => "UN Security Council sanctions list",
        "uk-proscribed" => "UK proscribed organisation",
        "us-fto" => "US Foreign Terrorist Organization",
        _ => list,
    };
}
