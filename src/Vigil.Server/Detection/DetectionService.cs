using Vigil.Core;
using Vigil.Text;

namespace Vigil.Server.Detection;

/// <summary>The outcome of running the detectors and the policy on one submission.</summary>
/// <param name="Assessment">The fused assessment (text and image).</param>
/// <param name="Outcome">Verdict, action and queue.</param>
public sealed record Detection(Assessment Assessment, PolicyOutcome Outcome);

/// <summary>Runs the text analyzer and the image seam, fuses their assessments and applies the policy in force.</summary>
public sealed class DetectionService(TextAnalyzer text, IImageAnalyzer images, PolicyHolder policy)
{
    public Policy Policy => policy.Current;

    public async Task<Detection> AssessAsync(string? content, ReadOnlyMemory<byte>? image, CancellationToken cancellationToken)
    {
        var textAssessment = string.IsNullOrEmpty(content) ? AssessmentFusion.Empty : text.Assess(content);
        Assessment? imageAssessment = image is { } bytes ? await images.AssessAsync(bytes, cancellationToken) : null;
        var fused = AssessmentFusion.Fuse(textAssessment, imageAssessment);
        return new Detection(fused, policy.Current.Apply(fused));
    }
}

/// <summary>The policy in force and the JSON it was read from.</summary>
public sealed class PolicyHolder(Policy policy, string json)
{
    public Policy Current { get; } = policy;

    public string Json { get; } = json;
}

/// <summary>The image seam until Vigil.Media's analyzer is plugged in: no signals; the image is still stored and hashed.</summary>
public sealed class NoImageAnalyzer : IImageAnalyzer
{
    public Task<Assessment> AssessAsync(ReadOnlyMemory<byte> image, CancellationToken cancellationToken) => Task.FromResult(AssessmentFusion.Empty);
}
