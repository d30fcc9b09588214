class DomainError(Exception):
    """A business rule refused the request. The message is for the user, already translated.

    Views turn it into a form error or a message; it never becomes a 500 page.
    `field` names the form field at fault, when there is one.
    """

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
