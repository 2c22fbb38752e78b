using Vigil.Text.Classification;
using Vigil.Text.Embeddings;
using Vigil.Text.Lexicon;

namespace Vigil.Text;

/// <summary>
/// The files the text detectors need, read from Vigil's data folder: <c>lists/*.csv</c> (designation lists and
/// <c>coded-terms.csv</c>), <c>model/text-linear.bin</c> and, optionally, <c>model/text-embedding.bin</c>. Problems
/// with single rows are collected, not thrown.
/// </summary>
public sealed class TextResources
{
    public const string ModelFile = "model/text-linear.bin";
    public const string EmbeddingHeadsFile = "model/text-embedding.bin";
    public const string TunedEncoderFile = "model/minilm-tuned.bin";

    /// <summary>The default policy in the data folder (read by vigil, written by vigil train).</summary>
    public const string PolicyFile = "policy.json";

    public const string ListsFolder = "lists";
    public const string CodedTermsFile = "coded-terms.csv";

    private readonly Lazy<TunedLayers?> _tunedEncoder;

    private TextResources(string directory, IReadOnlyList<LexiconEntry> entries, LinearModel model, EmbeddingHeads? embeddingHeads, Lazy<TunedLayers?> tunedEncoder, IReadOnlyList<string> problems)
    {
        Directory = directory;
        Entries = entries;
        Model = model;
        EmbeddingHeads = embeddingHeads;
        _tunedEncoder = tunedEncoder;
        Problems = problems;
    }

    public string Directory { get; }

    public IReadOnlyList<LexiconEntry> Entries { get; }

    public LinearModel Model { get; }

    /// <summary>The embedding stage of the classifier, when <c>model/text-embedding.bin</c> is present.</summary>
    public EmbeddingHeads? EmbeddingHeads { get; }

    /// <summary>Fine-tuned MiniLM layers the embedding heads were trained with, when <c>model/minilm-tuned.bin</c> is present.</summary>
    public TunedLayers? TunedEncoder => _tunedEncoder.Value;

    public IReadOnlyList<string> Problems { get; }

    /// <summary>The data folder shipped next to the program, or the repository's <c>data/</c> when run from a build.</summary>
    public static string DefaultDirectory()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, "data");
        if (System.IO.Directory.Exists(Path.Combine(beside, ListsFolder)))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data");
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")) && System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return beside;
    }

    /// <summary>The repository's <c>data/</c> folder, found from the current directory up (where <c>vigil train</c>
    /// and <c>vigil lists</c> write); the shipped folder when not inside a checkout.</summary>
    public static string RepositoryDirectory()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return Path.Combine(dir.FullName, "data");
            }
        }

        return DefaultDirectory();
    }

    public static TextResources Load(string directory)
    {
        var problems = new List<string>();
        var entries = new List<LexiconEntry>();
        string lists = Path.Combine(directory, ListsFolder);
        if (!System.IO.Directory.Exists(lists))
        {
            throw new DirectoryNotFoundException($"Vigil's lists folder was not found at '{lists}'. Pass --data with the folder holding lists/ and model/.");
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(lists, "*.csv").Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(file);
            string name = Path.GetFileName(file);
            entries.AddRange(name == CodedTermsFile
                ? ListFiles.ReadCodedTerms(reader, name, problems)
                : ListFiles.ReadDesignations(reader, name, problems));
        }

        string modelPath = Path.Combine(directory, ModelFile);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"The text model was not found at '{modelPath}'. Run 'vigil train' or pass --data.", modelPath);
        }

        LinearModel model;
        using (var stream = File.OpenRead(modelPath))
        {
            model = LinearModel.Load(stream);
        }

        EmbeddingHeads? embeddingHeads = null;
        string headsPath = Path.Combine(directory, EmbeddingHeadsFile);
        if (File.Exists(headsPath))
        {
            using var stream = File.OpenRead(headsPath);
            embeddingHeads = EmbeddingHeads.Load(stream);
        }

        // The tuned layers (7 MB) are read only when the embedding stage is used.
        string tunedPath = Path.Combine(directory, TunedEncoderFile);
        var tuned = new Lazy<TunedLayers?>(() => TunedLayers.LoadIfPresent(tunedPath));

        return new TextResources(directory, entries, model, embeddingHeads, tuned, problems);
    }
}
