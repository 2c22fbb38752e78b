using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Vigil.Core;
using Vigil.Text;
using Vigil.Text.Language;
using Vigil.Text.Normalization;

namespace Vigil.Bench;

/// <summary>
/// Cost of each stage of the text pipeline per post, over the real dev posts of ../shared/data (mean 107 characters).
/// One operation = one pass over all posts; divide by <see cref="Posts"/> for the per-post cost.
/// </summary>
[MemoryDiagnoser]
public class TextPipelineBenchmarks
{
    private string[] _texts = [];
    private NormalizedText[] _normalized = [];
    private TextAnalyzer _analyzer = null!;
    private TextAnalyzer _analyzerWithLanguage = null!;
    private LanguageIdentifier _language = null!;
    private Policy _policy = null!;
    private readonly float[] _probabilities = new float[3];
    private TextResources _resources = null!;

    public int Posts => _texts.Length;

    [GlobalSetup]
    public void Setup()
    {
        string datasets = BenchPaths.Datasets;
        _texts = [.. Directory.EnumerateFiles(datasets, "*.dev.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!)
            .Take(5000)];
        string data = BenchPaths.InRepository("data");
        _resources = TextResources.Load(data);
        _analyzer = new TextAnalyzer(_resources, new TextAnalyzerOptions(IdentifyLanguage: false, Embeddings: EmbeddingMode.Off));
        _analyzerWithLanguage = new TextAnalyzer(_resources, new TextAnalyzerOptions(IdentifyLanguage: true, Embeddings: EmbeddingMode.Off));
        _language = new LanguageIdentifier();
        _policy = Policy.Parse(File.ReadAllText(Path.Combine(data, "policy.json")));
        _normalized = [.. _texts.Select(TextNormalizer.Normalize)];
        Console.WriteLine($"// {_texts.Length} posts");
    }

    [Benchmark]
    public int Normalize()
    {
        int n = 0;
        foreach (var t in _texts)
        {
            n += TextNormalizer.Normalize(t).Length;
        }

        return n;
    }

    [Benchmark]
    public float Classify()
    {
        float sum = 0;
        foreach (var t in _normalized)
        {
            _resources.Model.Predict(t.Value, _probabilities);
            sum += _probabilities[0];
        }

        return sum;
    }

    [Benchmark]
    public int IdentifyLanguage()
    {
        int n = 0;
        foreach (var t in _texts)
        {
            n += _language.Identify(t)?.Length ?? 0;
        }

        return n;
    }

    [Benchmark]
    public int CommonWords()
    {
        int n = 0;
        foreach (var t in _texts)
        {
            n += LanguageIdentifier.CountCommonWords(t).Common;
        }

        return n;
    }

    [Benchmark]
    public int AssessAndDecide()
    {
        int n = 0;
        foreach (var t in _texts)
        {
            n += _policy.Decide(_analyzer.Assess(t)).Labels.Count;
        }

        return n;
    }

    [Benchmark]
    public int AssessAndDecideWithLanguage()
    {
        int n = 0;
        foreach (var t in _texts)
        {
            n += _policy.Decide(_analyzerWithLanguage.Assess(t)).Labels.Count;
        }

        return n;
    }
}
