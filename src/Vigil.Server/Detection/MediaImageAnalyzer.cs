using Microsoft.Extensions.Options;
using Vigil.Core;
using Vigil.Media;
using Vigil.Media.Banks;
using Vigil.Media.Ocr;
using Vigil.Storage.Banks;
using Vigil.Text;

namespace Vigil.Server.Detection;

/// <summary>
/// Image analysis for the service: decoding under a pixel budget, PDQ and exact hashes, matches against the hash
/// banks in the service's database (re-read every <see cref="VigilServerOptions.BankRefresh"/>, and after every change
/// announced through <see cref="HashBankChanges"/>), and OCR with Tesseract
/// when it is installed; text read from the image then goes through the text detectors (detectors never call each
/// other: this orchestrator passes it on). Undecodable images give an empty assessment, as the seam requires.
/// </summary>
public sealed class MediaImageAnalyzer : IImageAnalyzer, IDisposable
{
    private readonly TextAnalyzer _text;
    private readonly IHashBankStore _banks;
    private readonly HashBankChanges _changes;
    private readonly TimeProvider _time;
    private readonly ILogger<MediaImageAnalyzer> _log;
    private readonly TimeSpan _refresh;
    private readonly Lazy<Task<IOcrEngine?>> _ocr;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly ImageDecoder _decoder = new();
    private (BankMatcher Matcher, DateTimeOffset LoadedAt, long Generation)? _matcher;

    public MediaImageAnalyzer(
        TextAnalyzer text, IHashBankStore banks, HashBankChanges changes, IOptions<VigilServerOptions> options, TimeProvider time, ILogger<MediaImageAnalyzer> log)
    {
        _text = text;
        _banks = banks;
        _changes = changes;
        _time = time;
        _log = log;
        _refresh = options.Value.BankRefresh;
        bool ocr = options.Value.Ocr;
        _ocr = new Lazy<Task<IOcrEngine?>>(() => ocr ? CheckOcrAsync() : Task.FromResult<IOcrEngine?>(null));
    }

    public async Task<Assessment> AssessAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken)
    {
        var analyzer = new MediaAnalyzer(_decoder, await MatcherAsync(cancellationToken), await _ocr.Value);
        ImageAnalysis analysis;
        try
        {
            analysis = await analyzer.AnalyzeAsync(image, cancellationToken);
        }
        catch (MediaDecodeException e)
        {
            if (_log.IsEnabled(LogLevel.Information))
            {
                _log.LogInformation("Uploaded image not analysed: {Reason}", e.Message);
            }

            return AssessmentFusion.Empty;
        }

        var text = analysis.Ocr is { HasText: true } read ? _text.Assess(read.Text) : null;
        return MediaAssessment.Combine("upload", analysis.Banks, analysis.Ocr, text);
    }

    private async Task<BankMatcher> MatcherAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (Fresh(_matcher, now) is { } cached)
        {
            return cached;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_matcher, now) is { } again)
            {
                return again;
            }

            // Read the generation first: a change committed while the banks load makes this matcher stale at once.
            long generation = _changes.Generation;
            var matcher = await _banks.LoadMatcherAsync(cancellationToken: cancellationToken);
            _matcher = (matcher, _time.GetUtcNow(), generation);
            return matcher;
        }
        finally
        {
            _reload.Release();
        }
    }

    private BankMatcher? Fresh((BankMatcher Matcher, DateTimeOffset LoadedAt, long Generation)? cached, DateTimeOffset now) =>
        cached is { } c && now - c.LoadedAt < _refresh && c.Generation == _changes.Generation ? c.Matcher : null;

    public void Dispose() => _reload.Dispose();

    private async Task<IOcrEngine?> CheckOcrAsync()
    {
        var engine = new TesseractOcr();
        var availability = await engine.CheckAsync(CancellationToken.None);
        if (availability.Available)
        {
            return engine;
        }

        _log.LogWarning("OCR is unavailable, text in images is not read (images are still hashed and matched): {Why}", availability.Description);
        return null;
    }
}
