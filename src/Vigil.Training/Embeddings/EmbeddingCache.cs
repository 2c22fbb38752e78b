using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Vigil.Text.Embeddings;

namespace Vigil.Training.Embeddings;

/// <summary>
/// A file of sentence embeddings keyed by the SHA-256 of the text, so that training runs after the first do not
/// embed the same posts again. Records are appended; a torn last record (from an interrupted run) is ignored.
/// </summary>
public sealed class EmbeddingCache
{
    private const int KeyBytes = 16;
    private readonly Dictionary<UInt128, float[]> _vectors = [];
    private readonly string _path;

    private EmbeddingCache(string path) => _path = path;

    public int Count => _vectors.Count;

    /// <summary>The cache file for the packaged model, or for the model with the tuned layers named by <paramref name="tunedDigest"/>.</summary>
    public static string DefaultPath(string? tunedDigest = null)
    {
        string root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "vigil", tunedDigest is null ? "minilm-l6-int8-embeddings.bin" : $"minilm-l6-tuned-{tunedDigest}-int8-embeddings.bin");
    }

    public static EmbeddingCache Open(string path)
    {
        var cache = new EmbeddingCache(path);
        if (!File.Exists(path))
        {
            return cache;
        }

        int record = KeyBytes + (SentenceEncoder.Dimensions * sizeof(float));
        var bytes = File.ReadAllBytes(path);
        for (int offset = 0; offset + record <= bytes.Length; offset += record)
        {
            var key = MemoryMarshal.Read<UInt128>(bytes.AsSpan(offset, KeyBytes));
            cache._vectors[key] = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(offset + KeyBytes, record - KeyBytes)).ToArray();
        }

        return cache;
    }

    /// <summary>The embeddings of <paramref name="texts"/>, computing and storing the missing ones with <paramref name="encoder"/>.</summary>
    public float[][] GetOrCompute(IReadOnlyList<string> texts, Func<SentenceEncoder> encoder, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        var keys = texts.Select(Key).ToArray();
        var missing = Enumerable.Range(0, texts.Count).Where(i => !_vectors.ContainsKey(keys[i])).DistinctBy(i => keys[i]).ToList();
        if (missing.Count > 0)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
            var model = encoder();
            using var file = new FileStream(_path, FileMode.Append, FileAccess.Write);
            const int Chunk = 512;
            var keyBytes = new byte[KeyBytes];
            for (int start = 0; start < missing.Count; start += Chunk)
            {
                var chunk = missing.Skip(start).Take(Chunk).ToList();
                var vectors = model.Encode([.. chunk.Select(i => texts[i])], cancellationToken);
                for (int k = 0; k < chunk.Count; k++)
                {
                    var key = keys[chunk[k]];
                    _vectors[key] = vectors[k];
                    MemoryMarshal.Write(keyBytes, in key);
                    file.Write(keyBytes);
                    file.Write(MemoryMarshal.AsBytes(vectors[k].AsSpan()));
                }

                file.Flush();
                progress?.Invoke(Math.Min(start + Chunk, missing.Count), missing.Count);
            }
        }

        return [.. keys.Select(k => _vectors[k])];
    }

    private static UInt128 Key(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return MemoryMarshal.Read<UInt128>(hash[..KeyBytes]);
    }
}
