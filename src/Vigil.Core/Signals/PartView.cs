using Vigil.Core.Content;

namespace Vigil.Core.Signals;

/// <summary>
/// A content part as signal types and detectors read it: the part itself and what the pipeline's readers made of it
/// (an image's decoded pixels, say), keyed by type. A reader that fails leaves no feature and records why in
/// <see cref="Unreadable"/>; hashers that need the feature then hash nothing, and those that need only the bytes
/// (MD5, SHA-256) still hash. Not thread-safe: one part is read by one task.
/// </summary>
public sealed class PartView(ContentPart part)
{
    private Dictionary<Type, object>? _features;

    public ContentPart Part { get; } = part;

    /// <summary>Why the part could not be read, when a reader failed; null when it was read (or needs no reader).</summary>
    public string? Unreadable { get; set; }

    /// <summary>A feature a reader set, or null.</summary>
    public T? Feature<T>()
        where T : class => _features is not null && _features.TryGetValue(typeof(T), out var value) ? (T)value : null;

    /// <summary>Sets a feature (replacing one of the same type).</summary>
    public void SetFeature<T>(T value)
        where T : class => (_features ??= [])[typeof(T)] = value ?? throw new ArgumentNullException(nameof(value));
}
