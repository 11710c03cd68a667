"""The one error a writer raises: a reason a filmmaker can read, shown on the page as is."""


class DeliveryError(Exception):
    pass
