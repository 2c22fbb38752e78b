using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Vigil.Media;
using Vigil.Media.Ocr;

namespace Vigil.Ocr.Bench;

/// <summary>
/// An OCR engine that remembers what the inner engine read from each image (by a hash of its decoded pixels) in a
/// JSON Lines file of the work folder, so that a run stopped half-way, or a run over the same images with <c>--keep</c>,
/// reads each image once. The pipeline still decodes the image and runs the OCR detector on it; only Tesseract's reading
/// is reused. Thread-safe.
/// </summary>
internal sealed class CachedOcr : IOcrEngine, IDisposable
{
    private readonly IOcrEngine _inner;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    public CachedOcr(IOcrEngine inner, string file)
    {
        _inner = inner;
        if (File.Exists(file))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
            {
                try
                {
                    var entry = JsonSerializer.Deserialize<Entry>(line)!;
                    _entries[entry.Key] = entry;
                }
                catch (JsonException)
                {
                    // the last line of a run that was stopped: read again
                }
            }
        }

        _writer = new StreamWriter(file, append: true);
    }

    /// <summary>Images read by Tesseract in this run (not taken from the file).</summary>
    public int Read { get; private set; }

    /// <summary>Milliseconds Tesseract took over every image this cache holds (this run's and earlier ones).</summary>
    public double Milliseconds
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Sum(e => e.Milliseconds);
            }
        }
    }

    public Task<OcrAvailability> CheckAsync(CancellationToken cancellationToken = default) => _inner.CheckAsync(cancellationToken);

    public async Task<OcrResult> ReadAsync(DecodedImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        string key = KeyOf(image);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var known))
            {
                return new OcrResult(known.Status, known.Text, known.Engine, known.Problem);
            }
        }

        long start = Stopwatch.GetTimestamp();
        var result = await _inner.ReadAsync(image, cancellationToken);
        var entry = new Entry(key, result.Status, result.Text, result.Engine, result.Problem, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        lock (_gate)
        {
            _entries[key] = entry;
            Read++;
            _writer.WriteLine(JsonSerializer.Serialize(entry));
            _writer.Flush();
        }

        return result;
    }

    public void Dispose() => _writer.Dispose();

    private static string KeyOf(DecodedImage image)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(BitConverter.GetBytes(image.Width));
        sha.AppendData(BitConverter.GetBytes(image.Height));
        sha.AppendData(image.Rgb24.Span);
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private sealed record Entry(string Key, OcrStatus Status, string Text, string Engine, string? Problem, double Milliseconds);
}
