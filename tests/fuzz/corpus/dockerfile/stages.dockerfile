FROM docker:24-cli AS base
USER 1000

FROM base AS final
RUN echo inherits the client and the user
