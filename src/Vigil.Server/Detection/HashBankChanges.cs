namespace Vigil.Server.Detection;

/// <summary>
/// The invalidation hook of the image analyzer's cached bank matcher: the bank endpoints call <see cref="Notify"/>
/// after each change they commit, and the next upload is matched against a matcher built after it (changes made
/// elsewhere, e.g. by <c>vigil bank</c>, are seen after <see cref="VigilServerOptions.BankRefresh"/>).
/// </summary>
public sealed class HashBankChanges
{
    private long _generation;

    /// <summary>Goes up by one with every change.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Notify() => Interlocked.Increment(ref _generation);
}
