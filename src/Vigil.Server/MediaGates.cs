using Vigil.Core.Content;

namespace Vigil.Server;

/// <summary>The service's bounds on costly media work, shared by every request: image decodes and OCR processes. A request
/// past a bound waits up to <see cref="VigilServerOptions.MediaQueueWait"/>, then gets 503 with <c>Retry-After</c>.</summary>
/// <param name="Decodes">Images decoded at once (<see cref="VigilServerOptions.MaxConcurrentDecodes"/>).</param>
/// <param name="Ocr">Images read by OCR at once (<see cref="VigilServerOptions.MaxConcurrentOcr"/>).</param>
public sealed record MediaGates(WorkGate Decodes, WorkGate Ocr)
{
    public static MediaGates From(VigilServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MediaGates(
            new WorkGate("image decodes", options.MaxConcurrentDecodes, options.MediaQueueWait),
            new WorkGate("OCR processes", options.MaxConcurrentOcr, options.MediaQueueWait));
    }
}
